package org.backproplab.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.run.ConsoleMode.Verbosity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrialProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final RecordingBarConsumer bar = new RecordingBarConsumer();

    @AfterEach
    void closeDisplays() {
        ConsoleMode.closeOpenDisplays();
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalEachTrialIsALineAndTheSummaryNamesTheFailures() {
        try (ProgressDisplay trials = new TrialProgress(3, out, new ConsoleMode(Verbosity.NORMAL, false), bar)) {
            trials.trialStarted(1, "optimizer.lr=0.1");
            trials.trialEnded(1, "optimizer.lr=0.1", true, "FINISHED: final train/loss 0.01");
            trials.trialStarted(2, "optimizer.lr=10");
            trials.trialEnded(2, "optimizer.lr=10", false, "FAILED: diverged at step 7");
        }
        assertThat(printed()).startsWith("""
                trial 1/3 started: optimizer.lr=0.1
                trial 1/3 optimizer.lr=0.1: FINISHED: final train/loss 0.01
                trial 2/3 started: optimizer.lr=10
                trial 2/3 optimizer.lr=10: FAILED: diverged at step 7
                1 of 3 trials succeeded, 1 failed, 1 did not run in\s""")
                .endsWith("\n  failed: trial 2 (optimizer.lr=10): FAILED: diverged at step 7\n");
        assertThat(bar.count()).isZero();
    }

    @Test
    void onATerminalItIsABarOverTheTrials() {
        try (ProgressDisplay trials = new TrialProgress(2, out, new ConsoleMode(Verbosity.NORMAL, true), bar)) {
            trials.trialStarted(1, "a");
            trials.trialStarted(2, "b");
            trials.trialEnded(2, "b", true, "FINISHED");
            trials.trialEnded(1, "a", true, "FINISHED");
        }
        assertThat(bar.closed()).isTrue();
        assertThat(bar.last()).contains("trials").contains("2/2");
        assertThat(printed()).startsWith("2 of 2 trials succeeded in ").doesNotContain("trial 1");
    }

    @Test
    void quietShowsNothing() {
        try (ProgressDisplay trials = new TrialProgress(1, out, new ConsoleMode(Verbosity.QUIET, true), bar)) {
            trials.trialStarted(1, "a");
            trials.trialEnded(1, "a", false, "FAILED");
        }
        assertThat(printed()).isEmpty();
        assertThat(bar.count()).isZero();
    }

    @Test
    void parallelWorkersReportIntoOneDisplay() throws InterruptedException {
        int count = 40;
        try (ProgressDisplay trials = new TrialProgress(count, out, new ConsoleMode(Verbosity.NORMAL, false), bar)) {
            List<Thread> workers = new ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                int first = worker;
                Thread thread = new Thread(() -> {
                    for (int trial = first + 1; trial <= count; trial += 4) {
                        trials.trialStarted(trial, "t" + trial);
                        trials.trialEnded(trial, "t" + trial, trial % 10 != 0, "done");
                    }
                });
                thread.start();
                workers.add(thread);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        assertThat(printed().lines().filter(line -> line.contains("started:"))).hasSize(count);
        assertThat(printed()).contains("36 of 40 trials succeeded, 4 failed in ");
    }
}

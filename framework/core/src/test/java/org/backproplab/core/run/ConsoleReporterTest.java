package org.backproplab.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.backproplab.core.run.ConsoleMode.Verbosity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsoleReporterTest {

    private static final ConsoleMode PLAIN = new ConsoleMode(Verbosity.NORMAL, false);
    private static final ConsoleMode TERMINAL = new ConsoleMode(Verbosity.NORMAL, true);

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

    private static void train(ConsoleReporter reporter, int epochs) {
        ScriptedTraining training = new ScriptedTraining(epochs);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            training.at(epoch, epoch * 10L).with("train/loss", 1.0 / epoch).with("grad_norm/layer_01", 0.5)
                    .with("eval/accuracy", 0.5);
            reporter.onEvaluation(training, Map.of("eval/accuracy", 0.5));
            reporter.onEpochEnd(training, 0.25);
        }
    }

    @Test
    void withoutATerminalItPrintsAboutTenEpochLinesWithTheKeyMetrics() {
        train(new ConsoleReporter(out, PLAIN, bar), 100);
        String[] lines = printed().split("\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).isEqualTo("  epoch 10/100  0.25s  train/loss 0.1000  eval/accuracy 0.5000");
        assertThat(lines[9]).startsWith("  epoch 100/100");
        assertThat(bar.count()).as("no bar off a terminal").isZero();
    }

    @Test
    void quietPrintsNothing() {
        train(new ConsoleReporter(out, new ConsoleMode(Verbosity.QUIET, true), bar), 5);
        assertThat(printed()).isEmpty();
        assertThat(bar.count()).isZero();
    }

    @Test
    void onATerminalItDrawsABarOverTheEpochsThatClosesAfterTheLast() {
        ConsoleReporter reporter = new ConsoleReporter(out, TERMINAL, bar);
        train(reporter, 5);
        assertThat(printed()).as("the bar replaces the lines").isEmpty();
        assertThat(bar.closed()).isTrue();
        assertThat(bar.last()).contains("epochs").contains("5/5").contains("step 50").contains("train/loss 0.2000")
                .doesNotContain("grad_norm");
    }

    @Test
    void theEndOfTrainingClosesTheBarAndLaterEpochsDoNotReopenIt() {
        ConsoleReporter reporter = new ConsoleReporter(out, TERMINAL, bar);
        ScriptedTraining training = new ScriptedTraining(10);
        reporter.onEpochEnd(training.at(1, 10), 0.1);
        assertThat(bar.closed()).isFalse();
        reporter.onTrainEnd(training.at(2, 12).with("train/loss", Double.NaN), "diverged at step 12");
        assertThat(bar.closed()).isTrue();
        int renderings = bar.count();
        reporter.onEpochEnd(training.at(2, 20), 0.1);
        assertThat(bar.count()).isEqualTo(renderings);
    }

    @Test
    void theEndOfTheCommandClosesABarThatTrainingLeftOpen() {
        try (ConsoleMode.Scope scope = ConsoleMode.use(TERMINAL)) {
            new ConsoleReporter(out, TERMINAL, bar).onEpochEnd(new ScriptedTraining(10).at(1, 10), 0.1); // then training crashed
            assertThat(bar.closed()).isFalse();
        }
        assertThat(bar.closed()).isTrue();
    }

    @Test
    void insideASweepTrialsShowNoEpochsUnlessVerbose() {
        try (ProgressDisplay trials = ProgressDisplay.forTrials(2, new PrintStream(new ByteArrayOutputStream()), PLAIN)) {
            train(new ConsoleReporter(out, TERMINAL, bar), 3);
            train(new ConsoleReporter(out, PLAIN, bar), 3);
            assertThat(printed()).isEmpty();
            assertThat(bar.count()).as("no epoch bar under the trials' display").isZero();
            train(new ConsoleReporter(out, new ConsoleMode(Verbosity.VERBOSE, true), bar), 3);
            assertThat(printed()).contains("epoch 3/3");
            assertThat(bar.count()).isZero();
        }
    }

    @Test
    void theModeFollowsTheTerminalAndCi() {
        // Under the test runner there is no console: never a bar.
        assertThat(ConsoleMode.detect(Verbosity.NORMAL, Map.of()).interactive()).isFalse();
        assertThat(ConsoleMode.detect(Verbosity.NORMAL, Map.of("CI", "true")).interactive()).isFalse();
        assertThat(ConsoleMode.detect(Verbosity.QUIET, Map.of()).quiet()).isTrue();
        new ConsoleMode(Verbosity.QUIET, false).progress(out).println("hidden");
        new ConsoleMode(Verbosity.NORMAL, false).progress(out).println("shown");
        assertThat(printed()).isEqualTo("shown\n");
    }

    @Test
    void aCommandsModeIsCurrentUntilItsScopeEnds() {
        ConsoleMode quiet = new ConsoleMode(Verbosity.QUIET, false);
        ConsoleMode before = ConsoleMode.current();
        try (ConsoleMode.Scope scope = ConsoleMode.use(quiet)) {
            assertThat(ConsoleMode.current()).isEqualTo(quiet);
        }
        assertThat(ConsoleMode.current()).isEqualTo(before);
    }
}

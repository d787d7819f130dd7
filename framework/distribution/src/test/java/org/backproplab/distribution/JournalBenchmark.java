package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;

/**
 * Not a test: {@code ./mvnw -o -B -pl framework/distribution test -Pbench -Dlab.bench=JournalBenchmark} trains
 * experiments/fashion-mnist-mlp.yaml with the tracking journal on disk and off (kept in memory,
 * {@code lab.journal.off}), after a warm-up run, alternating on, off, off, on in this one JVM so that drift of a
 * shared machine hits both alike, and prints the mean seconds per epoch of each and their ratio.
 */
class JournalBenchmark {

    private static final int EPOCHS = 1;

    private double secondsPerEpoch(String experiment, boolean journal) {
        if (journal) {
            System.clearProperty("lab.journal.off");
        } else {
            System.setProperty("lab.journal.off", "true");
        }
        try {
            LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("fashion-mnist-mlp.yaml").toString(),
                    "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=" + experiment,
                    "--set", "training.epochs=" + EPOCHS);
            assertThat(result.exitCode()).as(result.all()).isZero();
        } finally {
            System.clearProperty("lab.journal.off");
        }
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            Service.Run run = tracker.searchRuns(tracker.experimentId(experiment), "").get(0);
            List<Service.Metric> epochs = tracker.metricHistory(run.getInfo().getRunId(), "time/epoch_seconds");
            assertThat(epochs).hasSize(EPOCHS);
            return epochs.stream().mapToDouble(Service.Metric::getValue).average().orElseThrow();
        }
    }

    @Test
    void journalOnAgainstOff() {
        System.setProperty("lab.default.threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        SharedMlflowServer.uri(); // started before timing
        long stamp = System.currentTimeMillis();
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        // The JVM's first training compiles the loop and loads the dataset: 1.2-1.5 s more an epoch, not counted.
        secondsPerEpoch("bench-journal-warm-up-" + stamp, true);
        on.add(secondsPerEpoch("bench-journal-on-1-" + stamp, true));
        off.add(secondsPerEpoch("bench-journal-off-1-" + stamp, false));
        off.add(secondsPerEpoch("bench-journal-off-2-" + stamp, false));
        on.add(secondsPerEpoch("bench-journal-on-2-" + stamp, true));
        double meanOn = on.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double meanOff = off.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf(Locale.ROOT, "%nJournal benchmark, fashion-mnist-mlp, %d epochs a run, %d cores:%n", EPOCHS,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  journal on disk    %s s/epoch, mean %.3f%n", on, meanOn);
        System.out.printf(Locale.ROOT, "  journal off        %s s/epoch, mean %.3f%n", off, meanOff);
        System.out.printf(Locale.ROOT, "  ratio on / off = %.3f%n%n", meanOn / meanOff);
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.Test;

/** {@code ./lab run --dry-run} prints what would run and leaves MLflow untouched. */
class DryRunTest {

    private static void assertNothingInMlflow(String experimentName) {
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            assertThat(tracker.findExperiment(experimentName)).isEmpty();
        }
    }

    @Test
    void aSingleRunPrintsItsResolvedConfigurationWithOverridesAndDefaults() {
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("xor.yaml").toString(), "--dry-run",
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "optimizer.lr=0.7", "--set", "tracking.experiment=dry-xor");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("is valid").contains("lr: 0.7").contains("momentum: 0.0").contains("epochs: 5000")
                .doesNotContain("FINISHED");
        assertNothingInMlflow("dry-xor");
    }

    @Test
    void aSweepPrintsEveryTrialWithItsValues() {
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("lr-sweep.yaml").toString(), "--dry-run",
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=dry-lr");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("10 trials (grid)").contains("trial 1  lr=0.0001").contains("trial 10  lr=10");
        assertThat(result.out().lines().filter(line -> line.startsWith("  trial "))).hasSize(10);
        assertNothingInMlflow("dry-lr");
    }

    @Test
    void aBadFileFailsTheDryRunToo() {
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("xor.yaml").toString(), "--dry-run",
                "--set", "optimizer.lr=-1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("optimizer.lr: must be greater than 0, got -1");
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;
import org.junit.jupiter.api.Test;

/** The same seed (and thread count) twice gives identical metric histories; another seed does not. */
class ReproducibilityTest {

    private static List<Double> history(String experimentName, String seed) {
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("fashion-mnist-mlp.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(),
                "--set", "tracking.experiment=" + experimentName, "--set", "seed=" + seed,
                "--set", "dataset.limit=2000", "--set", "dataset.test_limit=500",
                "--set", "training.epochs=2", "--set", "training.log_every=10");
        assertThat(result.exitCode()).as(result.all()).isZero();
        MlflowTracker tracker = SharedMlflowServer.tracker();
        List<Service.Run> runs = tracker.searchRuns(tracker.experimentId(experimentName), "");
        String runId = runs.get(0).getInfo().getRunId();
        List<Double> values = new java.util.ArrayList<>();
        tracker.metricHistory(runId, "train/loss").forEach(metric -> values.add(metric.getValue()));
        tracker.metricHistory(runId, "grad_norm/layer_01").forEach(metric -> values.add(metric.getValue()));
        tracker.metricHistory(runId, "eval/accuracy").forEach(metric -> values.add(metric.getValue()));
        return values;
    }

    @Test
    void sameSeedGivesBitIdenticalHistories() {
        List<Double> first = history("repro-a", "11");
        List<Double> second = history("repro-b", "11");
        List<Double> otherSeed = history("repro-c", "12");
        assertThat(first).hasSizeGreaterThan(20);
        assertThat(second).containsExactlyElementsOf(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;
import org.junit.jupiter.api.Test;

/** The shipped experiments, run through ./lab against a real MLflow server on the real engine and data. */
class SeedExperimentsTest {

    @Test
    void xorIsLearnedAndTheRunIsCompleteInMlflow() {
        String uri = SharedMlflowServer.uri();
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("xor.yaml").toString(), "--tracking-uri", uri,
                "--set", "tracking.experiment=test-xor");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("FINISHED").contains("Learned: every test example is classified correctly.");

        MlflowTracker tracker = SharedMlflowServer.tracker();
        List<Service.Run> runs = tracker.searchRuns(tracker.experimentId("test-xor"), "");
        assertThat(runs).hasSize(1);
        Service.Run run = runs.get(0);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        Map<String, String> params = run.getData().getParamsList().stream()
                .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
        assertThat(params).containsEntry("optimizer.type", "sgd").containsEntry("optimizer.lr", "0.5")
                .containsEntry("model.activation", "sigmoid").containsEntry("model.hidden", "[2]")
                .containsEntry("training.epochs", "5000").containsEntry("seed", "42");
        Map<String, String> tags = run.getData().getTagsList().stream()
                .collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
        assertThat(tags).containsEntry("mlflow.runName", "xor").containsEntry("lab.seed", "42")
                .containsEntry("lab.djl.version", "0.35.1").containsEntry("lab.pytorch.version", "2.7.1")
                .containsKey("lab.device").containsKey("mlflow.source.name").containsKey("lab.command");

        String runId = run.getInfo().getRunId();
        List<Service.Metric> loss = tracker.metricHistory(runId, "train/loss");
        assertThat(loss).hasSize(100);
        assertThat(loss).extracting(Service.Metric::getStep).isSorted().startsWith(50L).endsWith(5000L);
        assertThat(loss.get(loss.size() - 1).getValue()).isLessThan(0.05);
        assertThat(loss.get(0).getValue()).isGreaterThan(loss.get(loss.size() - 1).getValue());
        assertThat(tracker.metricHistory(runId, "grad_norm/layer_01")).hasSize(101).first().extracting(Service.Metric::getStep).isEqualTo(1L);
        assertThat(tracker.metricHistory(runId, "grad_norm/layer_02")).hasSize(101);
        List<Service.Metric> accuracy = tracker.metricHistory(runId, "eval/accuracy");
        assertThat(accuracy.get(accuracy.size() - 1).getValue()).isEqualTo(1.0);

        String config = new String(tracker.downloadArtifact(runId, "config/experiment.yaml"), StandardCharsets.UTF_8);
        assertThat(config).contains("name: xor").contains("lr: 0.5").contains("batch_size: 4");
    }

    @Test
    void linearRegressionRecoversWAndB() {
        String uri = SharedMlflowServer.uri();
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("linear-regression.yaml").toString(),
                "--tracking-uri", uri, "--set", "tracking.experiment=test-linear");
        assertThat(result.exitCode()).as(result.all()).isZero();
        MlflowTracker tracker = SharedMlflowServer.tracker();
        Service.Run run = tracker.searchRuns(tracker.experimentId("test-linear"), "").get(0);
        String parameters = new String(tracker.downloadArtifact(run.getInfo().getRunId(), "model/parameters.json"), StandardCharsets.UTF_8);
        double[] weight = numbers(parameters, "weight");
        double[] bias = numbers(parameters, "bias");
        assertThat(weight).containsExactly(new double[] {2.0, -3.4}, within(0.01));
        assertThat(bias).containsExactly(new double[] {4.2}, within(0.01));
        assertThat(result.out()).contains("Learned parameters: weight = [");
    }

    @Test
    void fashionMnistMlpReachesItsAccuracyInFiveEpochs() {
        String uri = SharedMlflowServer.uri();
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("fashion-mnist-mlp.yaml").toString(),
                "--tracking-uri", uri, "--set", "tracking.experiment=test-fashion");
        assertThat(result.exitCode()).as(result.all()).isZero();
        MlflowTracker tracker = SharedMlflowServer.tracker();
        Service.Run run = tracker.searchRuns(tracker.experimentId("test-fashion"), "").get(0);
        List<Service.Metric> accuracy = tracker.metricHistory(run.getInfo().getRunId(), "eval/accuracy");
        assertThat(accuracy.get(accuracy.size() - 1).getValue()).isGreaterThanOrEqualTo(0.87);
        assertThat(tracker.metricHistory(run.getInfo().getRunId(), "time/epoch_seconds")).hasSize(5);
    }

    /** The numbers of one entry of parameters.json ({"weight": [..], ...}). */
    private static double[] numbers(String json, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"" + name + "\": \\[([^\\]]*)\\]").matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return java.util.Arrays.stream(matcher.group(1).split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }
}

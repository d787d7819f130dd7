package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;
import org.junit.jupiter.api.Test;

/** ./lab trace and ./lab gradcheck on the shipped experiments, through the launcher, on the real engine and MLflow. */
class BackwardPassTest {

    @Test
    void traceShowsTheArticlesChainRuleNumbersAndLogsThemToMlflow() {
        LabProcess.Result result = LabProcess.lab("trace", LabProcess.experiment("seed-001-two-two-one.yaml").toString(),
                "--steps", "1", "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=test-trace");
        assertThat(result.exitCode()).as(result.all()).isZero();
        // The hand computation of seed-001-two-two-one.yaml: ∂L/∂y = 0.15575, ∂L/∂h = ∂L/∂y·W² = (0.0623, 0.0700875).
        assertThat(result.out())
                .contains("### layer_02 (03Linear_weight), the output layer: δ² = ∂L/∂y ⊙ σ′(z²)")
                .contains("| 1 | 1 | 1.15575 | 1.15575 | 0.15575 | 1 | 0.15575 |")
                .contains("### layer_01 (01Linear_weight): δ¹ = (W²)ᵀδ² ⊙ σ′(z¹)")
                .contains("| 1 | 1 | 0.585 | 0.585 | 0.0623 | 1 | 0.0623 |")
                .contains("| 1 | 2 | 0.715 | 0.715 | 0.0700875 | 1 | 0.0700875 |")
                .contains("| 1 | [0.03115, 0.04984] | 0.0623 |")
                .contains("| 1 | [0.0911138, 0.111361] | 0.15575 | [-0.00911137, -0.0111361] | -0.015575 |")
                .contains("stopped early at step 1 (epoch 1): traced 1 step");
        MlflowTracker tracker = SharedMlflowServer.tracker();
        Service.Run run = tracker.searchRuns(tracker.experimentId("test-trace"), "").get(0);
        String runId = run.getInfo().getRunId();
        String markdown = new String(tracker.downloadArtifact(runId, "trace/trace.md"), StandardCharsets.UTF_8);
        assertThat(markdown).contains("| 1 | 1 | 1.15575 | 1.15575 | 0.15575 | 1 | 0.15575 |");
        String csv = new String(tracker.downloadArtifact(runId, "trace/trace.csv"), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("step,layer,quantity,example,unit,input,value\n").contains("1,layer_01,dL_dW,,2,2,0.0560");
        // One point a step, from the diagnostics: the norms of the trace's δ² = 0.15575 and δ¹ = (0.0623, 0.0700875).
        List<Service.Metric> outputDelta = tracker.metricHistory(runId, "delta_norm/layer_02");
        List<Service.Metric> hiddenDelta = tracker.metricHistory(runId, "delta_norm/layer_01");
        assertThat(outputDelta).hasSize(1);
        assertThat(hiddenDelta).hasSize(1);
        assertThat(outputDelta.get(0).getValue()).isCloseTo(0.15575, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(hiddenDelta.get(0).getValue()).isCloseTo(Math.hypot(0.0623, 0.0700875), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(tracker.metricHistory(runId, "grad_norm_bias/layer_01")).hasSize(1);
    }

    @Test
    void tracingDoesNotChangeTraining() {
        // The trace differentiates copies: the parameters after two traced steps are those of two plain steps.
        String file = LabProcess.experiment("seed-002-xor.yaml").toString();
        LabProcess.Result traced = LabProcess.lab("trace", file, "--steps", "2", "--tracking-uri", SharedMlflowServer.uri(),
                "--set", "tracking.experiment=test-trace-xor");
        LabProcess.Result plain = LabProcess.lab("run", file, "--tracking-uri", SharedMlflowServer.uri(),
                "--set", "tracking.experiment=test-trace-xor-plain", "--set", "training.epochs=2");
        assertThat(traced.exitCode()).as(traced.all()).isZero();
        assertThat(plain.exitCode()).as(plain.all()).isZero();
        // Four examples per batch: a row per example and unit, the sigmoid's σ′ = a(1 − a) in the table.
        assertThat(traced.out()).contains("| 4 | 2 |").contains("## Step 2 (epoch 2)");
        assertThat(parameters(traced.out())).isEqualTo(parameters(plain.out()));
    }

    @Test
    void gradcheckPassesEveryShippedExperiment() {
        List<String> files = List.of("seed-000-single-neuron.yaml", "seed-001-two-two-one.yaml", "seed-001-adam.yaml",
                "seed-002-xor.yaml", "seed-003-linear.yaml", "seed-004-mnist-mlp.yaml", "xor.yaml", "linear-regression.yaml",
                "fashion-mnist-mlp.yaml", "activation-sweep.yaml", "lr-sweep.yaml", "vanishing-gradients.yaml");
        String[] arguments = new String[files.size() + 1];
        arguments[0] = "gradcheck";
        for (int i = 0; i < files.size(); i++) {
            arguments[i + 1] = LabProcess.experiment(files.get(i)).toString();
        }
        LabProcess.Result result = LabProcess.lab(arguments);
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("Gradient check of seed-001-two-two-one").contains("layer_02  03Linear_weight")
                .doesNotContain("FAILED");
    }

    @Test
    void aRunThatSurvivesExplodingGradientsSaysSo() {
        // W¹ tiny, W² huge: ∂L/∂W¹ = (W²)ᵀδ² xᵀ has norm 2935.2, ∂L/∂W² = δ² (a¹)ᵀ has norm 0.0040447, a ratio of 7.3e5.
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("seed-001-two-two-one.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=test-exploding",
                "--set", "model.initial.layer_01={weight: [[0.001, 0.001], [0.001, 0.001]], bias: [0, 0]}",
                "--set", "model.initial.layer_02.weight=[[1000, 1000]]");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("FINISHED")
                .contains("Warning: gradients explode toward the input: layer_01 is 10^5 × layer_02 (step 1)");
        MlflowTracker tracker = SharedMlflowServer.tracker();
        Service.Run run = tracker.searchRuns(tracker.experimentId("test-exploding"), "").get(0);
        assertThat(run.getData().getTagsList()).filteredOn(tag -> tag.getKey().equals("lab.warning")).singleElement()
                .extracting(Service.RunTag::getValue).isEqualTo("gradients explode toward the input: layer_01 is 10^5 × layer_02 (step 1)");
    }

    /** The "Learned parameters: ..." line. */
    private static String parameters(String out) {
        return out.lines().filter(line -> line.startsWith("Learned parameters:")).findFirst().orElse("(none in) " + out);
    }
}

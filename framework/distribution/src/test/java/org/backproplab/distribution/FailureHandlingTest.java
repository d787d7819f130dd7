package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;
import org.junit.jupiter.api.Test;

/** Runs that go wrong end in MLflow with the right status, and keep what they measured. */
class FailureHandlingTest {

    @Test
    void aDivergingRunIsFailedAtItsStepWithItsMetricsKept() {
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("linear-regression.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=test-diverge",
                "--set", "optimizer.lr=1000", "--set", "training.log_every=1");
        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.out()).contains("FAILED").contains("diverged at step");
        MlflowTracker tracker = SharedMlflowServer.tracker();
        Service.Run run = tracker.searchRuns(tracker.experimentId("test-diverge"), "").get(0);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FAILED);
        assertThat(run.getData().getTagsList()).anySatisfy(tag -> {
            assertThat(tag.getKey()).isEqualTo("lab.outcome");
            // One step a window here (log_every 1): the loss that says so is that step's.
            assertThat(tag.getValue()).matches("diverged at step (\\d+) \\(epoch 1\\): train/loss is (NaN|-?Infinity)"
                    + " \\(its mean over step \\1\\)");
        });
        // The finite losses before the divergence were logged, one per step.
        assertThat(tracker.metricHistory(run.getInfo().getRunId(), "train/loss")).hasSizeGreaterThan(1);
    }

    @Test
    void aTerminatedRunIsMarkedKilled() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath,
                "-Dai.djl.offline=true", "-Dlab.project.root=" + LabProcess.projectRoot(),
                "org.backproplab.core.cli.LabCommand", "run", LabProcess.experiment("xor.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=test-killed",
                "--set", "training.epochs=100000000"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process process = builder.start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean training = false;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("MLflow run ")) {
                    training = true;
                    break;
                }
            }
            assertThat(training).as("the run started").isTrue();
            // Until a loss reached MLflow (a bounded poll, not a guess at how fast this machine trains).
            MlflowTracker tracker = SharedMlflowServer.tracker();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (tracker.findExperiment("test-killed").map(experiment -> tracker.searchRuns(experiment.getExperimentId(), ""))
                    .filter(runs -> !runs.isEmpty())
                    .map(runs -> tracker.metricHistory(runs.get(0).getInfo().getRunId(), "train/loss").isEmpty())
                    .orElse(true)) {
                assertThat(System.nanoTime()).as("a train/loss point in MLflow").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: both run the shutdown hooks
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        MlflowTracker tracker = SharedMlflowServer.tracker();
        Service.Run run = tracker.searchRuns(tracker.experimentId("test-killed"), "").get(0);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.KILLED);
        assertThat(tracker.metricHistory(run.getInfo().getRunId(), "train/loss")).isNotEmpty();
    }
}

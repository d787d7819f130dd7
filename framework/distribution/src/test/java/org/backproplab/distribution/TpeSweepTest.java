package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;

/** TPE sweeps with ASHA pruning, in this process and in workers, trained and logged for real. */
class TpeSweepTest {

    /** A tiny regression: learning rates from 1e-4 to 1 give losses from poor to good within a few steps. */
    private static final String SWEEP = """
            name: EXPERIMENT
            seed: 20  # trial 1 draws lr 0.19, trials 2 and 3 lr 1e-4: they trail at the first rung
            dataset:   { type: linear, examples: 100, test_examples: 20 }
            model:     { type: linear }
            loss:      { type: mse }
            optimizer: { type: sgd, lr: 0.05 }
            training:  { epochs: 4, batch_size: 10, log_every: 5, threads: 1 }
            tracking:  { experiment: EXPERIMENT }
            sweep:
              method: tpe
              trials: 8
              startup_trials: 3
              pruner: { type: asha, min_steps: 5, reduction_factor: 2 }
              parameters:
                optimizer.lr: { distribution: log_uniform, min: 1.0e-4, max: 0.3 }
                optimizer.momentum: { distribution: uniform, min: 0.0, max: 0.9 }
            objective: { metric: eval/loss, mode: min }
            """;

    @TempDir
    Path folder;

    private LabProcess.Result sweep(String experiment, String... options) throws IOException {
        Path file = folder.resolve(experiment + ".yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, SWEEP.replace("EXPERIMENT", experiment));
        }
        List<String> arguments = new ArrayList<>(List.of("run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString()));
        arguments.addAll(List.of(options));
        return LabProcess.lab(arguments.toArray(String[]::new));
    }

    private static List<Run> prunedChildren(String experiment) {
        List<Run> runs = SweepRuns.all(experiment);
        Run parent = SweepRuns.parents(runs).get(0);
        List<Run> children = SweepRuns.children(runs, parent.getInfo().getRunId());
        assertThat(children).hasSize(8).allSatisfy(child -> {
            assertThat(child.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(SweepRuns.tag(child, "lab.trial.values")).startsWith("{\"optimizer.lr\":");
        });
        return children.stream().filter(child -> SweepRuns.tag(child, "lab.pruned") != null).toList();
    }

    @Test
    void aTpeSweepPrunesTrialsThatTrailAtARungKeepingTheirCurvesAndResumesWithNothingLeft() throws IOException {
        LabProcess.Result result = sweep("tpe-asha-in-process");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("8 trials (tpe, pruner asha(min_steps=5, reduction_factor=2, max_steps=0))")
                .contains("PRUNED");
        List<Run> pruned = prunedChildren("tpe-asha-in-process");
        assertThat(pruned).isNotEmpty().allSatisfy(child -> {
            long step = Long.parseLong(SweepRuns.tag(child, "lab.pruned.step"));
            assertThat(SweepRuns.tag(child, "lab.pruned")).startsWith("step " + step + ": ").contains("ASHA");
            assertThat(SweepRuns.tag(child, "lab.outcome")).contains("pruned: ");
            try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
                // Its curve is kept, and ends where it was stopped.
                List<Service.Metric> curve = tracker.metricHistory(child.getInfo().getRunId(), "eval/loss");
                assertThat(curve).isNotEmpty();
                assertThat(curve.stream().mapToLong(Service.Metric::getStep).max().orElseThrow()).isEqualTo(step);
            }
        });
        assertThat(result.out()).contains(pruned.size() + " PRUNED");
        Run parent = SweepRuns.parents(SweepRuns.all("tpe-asha-in-process")).get(0);
        assertThat(SweepRuns.artifacts(parent.getInfo().getRunId(), "report"))
                .contains("report/objective-by-trial.png", "report/parallel-coordinates.png");

        LabProcess.Result resumed = sweep("tpe-asha-in-process", "--resume");
        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(resumed.out()).contains("Resuming: 8 trials finished earlier, 0 to run.").contains(pruned.size() + " PRUNED");
        assertThat(SweepRuns.all("tpe-asha-in-process")).hasSize(9);
    }

    @Test
    void workersReportToThePrunerInTheDriverAndStopWhenItSaysSo() throws IOException {
        LabProcess.Result result = sweep("tpe-asha-workers", "--workers", "2");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("2 worker processes").contains("PRUNED");
        assertThat(prunedChildren("tpe-asha-workers")).isNotEmpty()
                .allSatisfy(child -> assertThat(SweepRuns.tag(child, "lab.outcome")).contains("pruned: "));
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps run in the lab's own process: nested runs, failures that do not end the sweep, resume, bad input. */
class SweepTest {

    /** A tiny regression, about a quarter of a second per trial. */
    private static final String BASE = """
            name: EXPERIMENT
            seed: 7
            dataset:   { type: linear, examples: 100, test_examples: 20 }
            model:     { type: linear }
            loss:      { type: mse }
            optimizer: { type: sgd, lr: 0.05 }
            training:  { epochs: 2, batch_size: 10, log_every: 5, threads: 1 }
            tracking:  { experiment: EXPERIMENT }
            """;

    @TempDir
    Path folder;

    private Path file(String experiment, String sweep) throws IOException {
        return Files.writeString(folder.resolve(experiment + ".yaml"), (BASE + sweep).replace("EXPERIMENT", experiment));
    }

    private LabProcess.Result sweep(Path file, String... options) {
        List<String> arguments = new ArrayList<>(List.of("run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString()));
        arguments.addAll(List.of(options));
        return LabProcess.lab(arguments.toArray(String[]::new));
    }

    @Test
    void aTypeSweepNestsOneNamedChildRunPerTrialUnderItsParent() throws IOException {
        Path file = file("sweep-nested", """
                sweep:
                  parameters:
                    optimizer.type: [sgd, adam]
                    optimizer.lr: [0.01, 0.05]
                    optimizer.momentum: { values: [0.0, 0.9], when: { optimizer.type: sgd } }
                objective: { metric: eval/loss, mode: min }
                """);

        LabProcess.Result result = sweep(file);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("Trials, best first by eval/loss (min)").contains("Best: trial");
        List<Run> runs = SweepRuns.all("sweep-nested");
        assertThat(SweepRuns.parents(runs)).hasSize(1);
        Run parent = SweepRuns.parents(runs).get(0);
        String parentId = parent.getInfo().getRunId();
        assertThat(parent.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(SweepRuns.tag(parent, "objective.metric")).isEqualTo("eval/loss");
        assertThat(SweepRuns.tag(parent, "objective.mode")).isEqualTo("min");
        assertThat(SweepRuns.params(parent)).containsEntry("sweep.method", "grid").containsEntry("sweep.trials", "6")
                .containsEntry("sweep.optimizer.momentum", "[0, 0.9] when optimizer.type in [sgd]");

        List<Run> children = SweepRuns.children(runs, parentId);
        assertThat(SweepRuns.childIdsOverRest(parent.getInfo().getExperimentId(), parentId))
                .containsExactlyInAnyOrderElementsOf(children.stream().map(run -> run.getInfo().getRunId()).toList());
        assertThat(children).extracting(SweepRuns::name).containsExactlyInAnyOrder(
                "sgd lr0.01 m0", "sgd lr0.01 m0.9", "sgd lr0.05 m0", "sgd lr0.05 m0.9", "adam lr0.01", "adam lr0.05");
        assertThat(children).allSatisfy(child -> {
            assertThat(child.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(SweepRuns.tag(child, "lab.trial.id")).matches("[0-9a-f]{16}");
            assertThat(SweepRuns.tag(child, "lab.sweep.id")).isEqualTo(SweepRuns.tag(parent, "lab.sweep.id"));
            // Re-running a trial's command trains that trial alone.
            assertThat(SweepRuns.tag(child, "lab.command")).contains("--set 'sweep=null'");
        });
        assertThat(children.stream().map(child -> SweepRuns.tag(child, "lab.trial.id")).distinct()).hasSize(6);
        Run adam = children.stream().filter(child -> SweepRuns.name(child).equals("adam lr0.05")).findFirst().orElseThrow();
        assertThat(SweepRuns.params(adam)).containsEntry("optimizer.type", "adam").containsEntry("optimizer.lr", "0.05")
                .doesNotContainKey("optimizer.momentum");

        assertThat(children).extracting(child -> child.getInfo().getRunId()).contains(SweepRuns.tag(parent, "lab.sweep.best_run_id"));
        assertThat(parent.getData().getMetricsList()).extracting(Service.Metric::getKey).contains("best/eval/loss");
        assertThat(SweepRuns.artifacts(parentId, "summary")).contains("summary/summary.csv", "summary/summary.md");
        assertThat(SweepRuns.artifacts(parentId, "report")).contains("report/report.html");
        assertThat(SweepRuns.artifacts(parentId, "sweep")).contains("sweep/definition.yaml");
        try (Stream<Path> written = Files.walk(folder.resolve("reports"))) {
            Path csv = written.filter(path -> path.getFileName().toString().equals("summary.csv")).findFirst().orElseThrow();
            assertThat(Files.readAllLines(csv)).hasSize(7).first().asString().startsWith("#,type,lr,momentum,status,eval/loss");
        }
    }

    @Test
    void aDivergentTrialFailsAtItsStepWhileTheOthersFinish() throws IOException {
        Path file = file("sweep-diverge", """
                sweep:
                  parameters:
                    optimizer.lr: [0.05, 1000.0, 0.1]
                """);

        LabProcess.Result result = sweep(file);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).containsPattern("2\\s+1000\\s+FAILED.*diverged at step \\d+");
        Run parent = SweepRuns.parents(SweepRuns.all("sweep-diverge")).get(0);
        List<Run> children = SweepRuns.children(SweepRuns.all("sweep-diverge"), parent.getInfo().getRunId());
        assertThat(children).hasSize(3).allSatisfy(child -> {
            boolean divergent = SweepRuns.name(child).equals("lr1000");
            assertThat(child.getInfo().getStatus()).isEqualTo(divergent ? Service.RunStatus.FAILED : Service.RunStatus.FINISHED);
            if (divergent) {
                // Divergence is seen at a logged step (every 5th): the message names the steps the loss is the mean of.
                assertThat(SweepRuns.tag(child, "lab.outcome")).matches("diverged at step (\\d+) \\(epoch \\d+\\): train/loss"
                        + " is (NaN|-?Infinity) \\(its mean over (step \\1|steps \\d+-\\1)\\)");
            }
        });
        assertThat(SweepRuns.tag(parent, "lab.sweep.result")).isEqualTo("3 trials: 1 FAILED, 2 FINISHED");
    }

    @Test
    void resumeSkipsFinishedTrialsAndRunsTheOthersUnderTheSameParent() throws IOException {
        Path file = file("sweep-resume", """
                sweep:
                  parameters:
                    optimizer.lr: [0.05, 1000.0, 0.1]
                """);

        // --fail-fast stops at the divergent trial 2: trial 3 never runs.
        LabProcess.Result first = sweep(file, "--fail-fast");
        assertThat(first.exitCode()).as(first.all()).isEqualTo(1);
        assertThat(first.out()).contains("stopped by --fail-fast: trial 2 (lr=1000) failed").containsPattern("3\\s+0.1\\s+NOT RUN");
        assertThat(SweepRuns.all("sweep-resume")).hasSize(3); // the parent, trial 1, trial 2

        LabProcess.Result resumed = sweep(file, "--resume");
        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(resumed.out()).contains("Resuming: 1 trials finished earlier, 2 to run.");
        LabProcess.Result again = sweep(file, "--resume");
        assertThat(again.out()).contains("Resuming: 2 trials finished earlier, 1 to run.");

        List<Run> runs = SweepRuns.all("sweep-resume");
        assertThat(SweepRuns.parents(runs)).hasSize(1);
        assertThat(SweepRuns.parents(runs).get(0).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        List<Run> children = SweepRuns.children(runs, SweepRuns.parents(runs).get(0).getInfo().getRunId());
        // Trial 1 ran once, trial 2 (diverges) three times, trial 3 once.
        assertThat(children).extracting(SweepRuns::name).containsExactlyInAnyOrder("lr0.05", "lr1000", "lr1000", "lr1000", "lr0.1");
        Map<String, Long> finishedPerTrial = children.stream()
                .filter(child -> child.getInfo().getStatus() == Service.RunStatus.FINISHED)
                .collect(java.util.stream.Collectors.groupingBy(child -> SweepRuns.tag(child, "lab.trial.id"),
                        java.util.stream.Collectors.counting()));
        assertThat(finishedPerTrial).hasSize(2).allSatisfy((trial, count) -> assertThat(count).isEqualTo(1L));
    }

    @Test
    void aChangedSweepIsNotResumedAndNothingIsCreated() throws IOException {
        Path file = file("sweep-changed", """
                sweep:
                  parameters:
                    optimizer.lr: [0.05, 0.1]
                """);
        assertThat(sweep(file).exitCode()).isZero();
        int runsBefore = SweepRuns.all("sweep-changed").size();

        Files.writeString(file, Files.readString(file).replace("[0.05, 0.1]", "[0.05, 0.2]"));
        LabProcess.Result changedDefinition = sweep(file, "--resume");
        assertThat(changedDefinition.exitCode()).as(changedDefinition.all()).isEqualTo(2);
        assertThat(changedDefinition.err()).contains("cannot resume").contains("its sweep: or objective: section changed")
                .contains("- - 0.1").contains("+ - 0.2").contains("without --resume").doesNotContain("\tat ");

        Files.writeString(file, Files.readString(file).replace("[0.05, 0.2]", "[0.05, 0.1]"));
        LabProcess.Result changedConfiguration = sweep(file, "--resume", "--set", "training.epochs=3");
        assertThat(changedConfiguration.exitCode()).as(changedConfiguration.all()).isEqualTo(2);
        assertThat(changedConfiguration.err()).contains("the configuration outside sweep: changed")
                .contains("training.epochs: 2 -> 3");

        assertThat(SweepRuns.all("sweep-changed")).hasSize(runsBefore);
    }

    @Test
    void badSweepDefinitionsExitWithEveryProblemAndNothingInMlflow() throws IOException {
        Path file = file("sweep-bad", """
                sweep:
                  method: random
                  trials: 4
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 1.0, max: 0.1 }
                    optimizer.momentun: [0.0, 0.9]
                    model.bias: []
                    training.epochs: { distribution: gaussian, min: 1, max: 3 }
                objective: { metric: eval/loss, mode: lowest }
                """);

        LabProcess.Result result = sweep(file);

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err()).contains("4 problems in")
                .contains("sweep.parameters.optimizer.lr: min 1.0 is greater than max 0.1")
                .contains("sweep.parameters.model.bias: empty list")
                .contains("unknown distribution 'gaussian'")
                .contains("objective.mode: must be max or min, got 'lowest'")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(SweepRuns.all("sweep-bad")).isEmpty();

        Files.writeString(file, Files.readString(file).replace("min: 1.0, max: 0.1", "min: 0.01, max: 0.1")
                .replace("    model.bias: []\n", "").replace("gaussian", "int_uniform").replace("lowest", "min"));
        LabProcess.Result trials = sweep(file);
        assertThat(trials.exitCode()).as(trials.all()).isEqualTo(2);
        // With the definition fixed, every trial is checked: the misspelt key is a problem of the trials drawing it.
        assertThat(trials.err()).contains("optimizer.momentun: unknown parameter of optimizer 'sgd'; did you mean 'momentum'?")
                .containsPattern("\\(in (\\d of 4 trials, e\\.g\\. )?trial \\d: lr=");
        assertThat(SweepRuns.all("sweep-bad")).isEmpty();
    }

    @Test
    void earlyStoppingEndsATrialFinishedWithItsReason() throws IOException {
        // The loss falls, so with mode max no logged value improves on the first: stop after `patience` more.
        Path file = file("sweep-early", """
                sweep:
                  parameters:
                    training.early_stopping: [{metric: eval/loss, patience: 1, mode: max}, null]
                """);

        LabProcess.Result result = sweep(file);

        assertThat(result.exitCode()).as(result.all()).isZero();
        List<Run> children = SweepRuns.children(SweepRuns.all("sweep-early"),
                SweepRuns.parents(SweepRuns.all("sweep-early")).get(0).getInfo().getRunId());
        Run stopped = children.stream().filter(child -> SweepRuns.name(child).contains("patience")).findFirst().orElseThrow();
        assertThat(stopped.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(SweepRuns.tag(stopped, "lab.outcome")).startsWith("stopped early at step 10 (epoch 1): eval/loss did not"
                + " improve");
        assertThat(result.out()).contains("stopped early at step 10");
    }
}

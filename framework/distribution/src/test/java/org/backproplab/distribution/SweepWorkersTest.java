package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --workers}: trials in their own JVMs, each logging to MLflow itself. A worker that dies takes only its
 * trial with it; stopping the sweep stops every worker and marks their runs KILLED.
 */
class SweepWorkersTest {

    /** Trial 2 trains (practically) forever unless something stops it. */
    private static final String SWEEP = """
            name: EXPERIMENT
            dataset:   { type: xor }
            model:     { type: mlp, hidden: [2], activation: sigmoid }
            loss:      { type: mse }
            optimizer: { type: sgd, lr: 0.5 }
            training:  { epochs: 20, batch_size: 4, log_every: 10 }
            tracking:  { experiment: EXPERIMENT }
            sweep:
              parameters:
                training.epochs: EPOCHS
            """;

    @TempDir
    Path folder;

    private Path file(String experiment, String epochs) throws IOException {
        return Files.writeString(folder.resolve(experiment + ".yaml"),
                SWEEP.replace("EXPERIMENT", experiment).replace("EPOCHS", epochs));
    }

    private static Optional<Run> runningTrial(String experiment, int index) {
        return SweepRuns.all(experiment).stream()
                .filter(run -> Integer.toString(index).equals(SweepRuns.tag(run, "lab.trial.index")))
                .filter(run -> run.getInfo().getStatus() == Service.RunStatus.RUNNING)
                .findFirst();
    }

    /** The worker processes of the sweep in {@code file}, once there are {@code count}. */
    private static List<Long> awaitWorkers(Path file, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<Long> workers = workersOf(file);
        while (workers.size() != count) {
            assertThat(System.nanoTime()).as("%d worker(s) left in time, not %s", count, workers).isLessThan(deadline);
            Thread.sleep(250);
            workers = workersOf(file);
        }
        return workers;
    }

    /** The worker processes running trials of the sweep in {@code file} (each test's file is its own). */
    private static List<Long> workersOf(Path file) {
        return LinuxProcesses.withArguments("--worker", file.toString());
    }

    private static void awaitRunning(String experiment, int index) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (runningTrial(experiment, index).isEmpty()) {
            assertThat(System.nanoTime()).as("trial %d of %s running in time", index, experiment).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @Test
    void aWorkerKilledMidTrialFailsOnlyItsTrialAndTheSweepCompletes() throws Exception {
        Path file = file("sweep-workers", "[20, 100000000, 30]");
        CompletableFuture<LabProcess.Result> sweep = CompletableFuture.supplyAsync(() -> LabProcess.lab("run",
                file.toString(), "--tracking-uri", SharedMlflowServer.uri(), "--workers", "2",
                "--reports-dir", folder.resolve("reports").toString()));

        awaitRunning("sweep-workers", 2);
        // The other worker runs trials 1 and 3, then ends: the one left is trial 2's.
        List<Long> workers = awaitWorkers(file, 1);
        assertThat(runningTrial("sweep-workers", 2)).as("trial 2 still training").isPresent();
        LinuxProcesses.signal(workers.get(0), "KILL"); // no shutdown hook runs: the run stays RUNNING
        LabProcess.Result result = sweep.get(3, TimeUnit.MINUTES);

        assertThat(result.exitCode()).as(result.all()).isZero();
        List<Run> runs = SweepRuns.all("sweep-workers");
        List<Run> children = SweepRuns.children(runs, SweepRuns.parents(runs).get(0).getInfo().getRunId());
        assertThat(children).hasSize(3).allSatisfy(child -> {
            boolean killed = SweepRuns.name(child).equals("e100000000");
            assertThat(child.getInfo().getStatus()).isEqualTo(killed ? Service.RunStatus.FAILED : Service.RunStatus.FINISHED);
            if (killed) {
                assertThat(SweepRuns.tag(child, "lab.error")).contains("SIGKILL").contains("during training");
            }
            // Each of the two workers got half of the two cores' PyTorch threads.
            assertThat(SweepRuns.tag(child, "lab.threads")).isEqualTo(
                    Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
        });
        assertThat(workersOf(file)).as("worker processes left behind").isEmpty();
    }

    @Test
    void workersStartedBeforeTheChecksAreStoppedWhenTheChecksFailAndNothingIsLogged() throws Exception {
        // Binary XOR with a multiclass loss: the sweep's checks refuse it, after the workers have started.
        Path file = Files.writeString(folder.resolve("sweep-refused.yaml"), SWEEP.replace("EXPERIMENT", "sweep-refused")
                .replace("EPOCHS", "[1, 2]").replace("type: mse", "type: softmax_cross_entropy"));
        LabProcess.Result result = LabProcess.lab("run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--workers", "2", "--reports-dir", folder.resolve("reports").toString(), "--verbose");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err()).contains("softmax_cross_entropy needs a multiclass classification dataset");
        Matcher started = Pattern.compile("Started worker processes \\[(\\d+), (\\d+)\\] before the sweep's checks")
                .matcher(result.all());
        assertThat(started.find()).as(result.all()).isTrue();
        assertThat(result.all()).contains("Stopped worker processes [");
        for (String pid : List.of(started.group(1), started.group(2))) {
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
                    .as("worker %s left behind", pid).isFalse();
        }
        assertThat(workersOf(file)).as("worker processes left behind").isEmpty();
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            assertThat(tracker.findExperiment("sweep-refused")).as("nothing reached MLflow").isEmpty();
        }
    }

    @Test
    void stoppingTheSweepStopsEveryWorkerAndMarksTheRunsKilled() throws Exception {
        Path file = file("sweep-stopped", "[100000000, 100000001, 100000002]");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "-Dai.djl.offline=true", "-Dlab.project.root=" + LabProcess.projectRoot(), "-Dlab.default.threads=2",
                "org.backproplab.core.cli.LabCommand", "run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--workers", "2", "--reports-dir", folder.resolve("reports").toString(), "--verbose"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process sweep = builder.start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(sweep.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("(output closed: ").append(e.getMessage()).append(")\n");
            }
        });
        try {
            awaitRunning("sweep-stopped", 1);
            awaitRunning("sweep-stopped", 2);
            sweep.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hooks run
            assertThat(sweep.waitFor(60, TimeUnit.SECONDS)).as(output.toString()).isTrue();
        } finally {
            sweep.destroyForcibly();
        }
        reader.get(10, TimeUnit.SECONDS);

        List<Run> runs = SweepRuns.all("sweep-stopped");
        Run parent = SweepRuns.parents(runs).get(0);
        assertThat(parent.getInfo().getStatus()).as(output.toString()).isEqualTo(Service.RunStatus.KILLED);
        assertThat(SweepRuns.children(runs, parent.getInfo().getRunId())).hasSize(2).allSatisfy(child ->
                assertThat(child.getInfo().getStatus()).as(output.toString()).isEqualTo(Service.RunStatus.KILLED));
        assertThat(workersOf(file)).as("worker processes left behind").isEmpty();
    }
}

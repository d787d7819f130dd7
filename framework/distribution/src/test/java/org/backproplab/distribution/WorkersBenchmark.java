package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: {@code ./mvnw -o -B -pl framework/distribution test -Pbench} times two sweeps in process and with
 * {@code --workers 2}, each a {@code lab run} in a JVM of its own, in one run and prints the wall times and their
 * ratios: the shipped lr-sweep (ten learning rates on a Fashion-MNIST subset) and twelve small Fashion-MNIST
 * trials. With two workers on two cores each worker runs one PyTorch thread and loads the dataset once for all its
 * trials.
 */
class WorkersBenchmark {

    private static final String SWEEP = """
            name: EXPERIMENT
            seed: 42
            dataset:   { type: fashion-mnist, limit: 10000, test_limit: 2000 }
            model:     { type: mlp, hidden: [128], activation: relu }
            loss:      { type: softmax_cross_entropy }
            optimizer: { type: sgd, lr: 0.1 }
            training:  { epochs: 2, batch_size: 64, log_every: 100 }
            diagnostics: { enabled: false }
            tracking:  { experiment: EXPERIMENT }
            sweep:
              parameters:
                optimizer.lr: [0.01, 0.02, 0.05, 0.1, 0.2, 0.3]
                model.activation: [relu, tanh]
            """;

    @TempDir
    Path folder;

    /**
     * The wall time of {@code lab run FILE OPTIONS} in a JVM of its own, as {@code ./lab run} has one: the sweep in
     * process pays its JVM's start and warm-up as the workers pay theirs.
     */
    private double seconds(Path file, int trials, String... options) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // As ./lab does: every core for PyTorch (the tests pin one thread), divided among the workers.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=256m", "-XX:TieredStopAtLevel=1", "-cp", classPath, "-Dai.djl.offline=true",
                "-Dlab.project.root=" + LabProcess.projectRoot(),
                "-Dlab.default.threads=" + Runtime.getRuntime().availableProcessors(),
                "org.backproplab.core.cli.LabCommand", "run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString()));
        command.addAll(List.of(options));
        Path output = folder.resolve(file.getFileName() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        long start = System.nanoTime();
        Process lab = builder.start();
        assertThat(lab.waitFor(10, TimeUnit.MINUTES)).as("the sweep ends within 10 minutes").isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = Files.readString(output);
        assertThat(lab.exitValue()).as(text).isIn(0, 1); // the lr-sweep's divergent trial fails
        assertThat(text).contains(trials + " trials: ");
        return seconds;
    }

    private Path sweep(String experiment) throws IOException {
        return Files.writeString(folder.resolve(experiment + ".yaml"), SWEEP.replace("EXPERIMENT", experiment));
    }

    private Path lrSweep(String experiment) throws IOException {
        String text = Files.readString(LabProcess.experiment("lr-sweep.yaml"));
        return Files.writeString(folder.resolve(experiment + ".yaml"), text.replace("experiment: lr-sweep",
                "experiment: " + experiment));
    }

    @Test
    void twoWorkersAgainstInProcess() throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        SharedMlflowServer.uri(); // started before timing
        double lrInProcess = seconds(lrSweep("bench-lr-in-process"), 10);
        double lrWorkers = seconds(lrSweep("bench-lr-workers-2"), 10, "--workers", "2");
        double fashionInProcess = seconds(sweep("bench-fashion-in-process"), 12);
        double fashionWorkers = seconds(sweep("bench-fashion-workers-2"), 12, "--workers", "2");
        System.out.printf(Locale.ROOT, "%nSweep benchmark, %d cores:%n", cores);
        System.out.printf(Locale.ROOT, "  lr-sweep (10 trials)       in process %6.1f s, --workers 2 %6.1f s: %.2fx%n",
                lrInProcess, lrWorkers, lrInProcess / lrWorkers);
        System.out.printf(Locale.ROOT, "  Fashion-MNIST (12 trials)  in process %6.1f s, --workers 2 %6.1f s: %.2fx%n%n",
                fashionInProcess, fashionWorkers, fashionInProcess / fashionWorkers);
    }
}

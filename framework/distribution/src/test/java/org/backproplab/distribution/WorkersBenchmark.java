package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: {@code ./mvnw -o -B -pl framework/distribution test -Pbench} times two sweeps in process and with
 * {@code --workers 2}, each a {@code lab run} in a JVM of its own, in one run and prints the wall times and their
 * ratios: the shipped lr-sweep (ten learning rates on a Fashion-MNIST subset) and twelve small Fashion-MNIST
 * trials. With two workers on two cores each worker runs one PyTorch thread and loads the dataset once for all its
 * trials. Then the ceiling of any such ratio on this machine: two trainings one after the other with every core
 * against two at once with one thread each.
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

    /** Epochs of each ceiling run: enough that the JVM's warm-up is a small part. */
    private static final int CEILING_EPOCHS = 3;
    private static final Pattern EPOCH_LINE = Pattern.compile("epoch \\d+/\\d+\\s+([0-9.]+)s");

    @TempDir
    Path folder;

    /**
     * The wall time of {@code lab run FILE OPTIONS} in a JVM of its own, as {@code ./lab run} has one: the sweep in
     * process pays its JVM's start and warm-up as the workers pay theirs.
     */
    private double seconds(Path file, int trials, String... options) throws IOException, InterruptedException {
        Path output = folder.resolve(file.getFileName() + ".out");
        // As ./lab does: every core for PyTorch (the tests pin one thread), divided among the workers.
        Process lab = start(file, Runtime.getRuntime().availableProcessors(), output, options);
        long start = System.nanoTime();
        String text = awaitOutput(lab, output);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(lab.exitValue()).as(text).isIn(0, 1); // the lr-sweep's divergent trial fails
        assertThat(text).contains(trials + " trials: ");
        return seconds;
    }

    private Process start(Path file, int threads, Path output, String... options) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // ./lab's JVM settings, which its sweep workers inherit.
                "-XX:MaxDirectMemorySize=256m", "-XX:TieredStopAtLevel=1", "-Xmn64m", "-cp", classPath,
                "-Dai.djl.offline=true",
                "-Dlab.project.root=" + LabProcess.projectRoot(), "-Dlab.default.threads=" + threads,
                "org.backproplab.core.cli.LabCommand", "run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString()));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    private static String awaitOutput(Process lab, Path output) throws IOException, InterruptedException {
        assertThat(lab.waitFor(10, TimeUnit.MINUTES)).as("the run ends within 10 minutes").isTrue();
        return Files.readString(output);
    }

    /** The seconds of the epochs a run printed ({@code epoch 2/3  1.49s ...}), its JVM's start and end left out. */
    private static double trainingSeconds(String text) {
        Matcher epoch = EPOCH_LINE.matcher(text);
        double seconds = 0;
        int epochs = 0;
        while (epoch.find()) {
            seconds += Double.parseDouble(epoch.group(1));
            epochs++;
        }
        assertThat(epochs).as(text).isEqualTo(CEILING_EPOCHS);
        return seconds;
    }

    /**
     * What two workers on two cores can gain at most, whatever the sweep's overheads: the seed-004 network trained
     * twice one after the other with every core, against twice at once with one thread each (as two workers train),
     * in training seconds. Cores that share caches and memory bandwidth keep this below the core count.
     */
    private void ceiling(Path file, int cores) throws IOException, InterruptedException {
        String[] options = {"--set", "training.epochs=" + CEILING_EPOCHS, "--set", "diagnostics.enabled=false",
                "--set", "tracking.experiment=bench-ceiling"};
        double oneAfterTheOther = 0;
        for (int i = 0; i < 2; i++) {
            Path output = folder.resolve("ceiling-sequential-" + i + ".out");
            oneAfterTheOther += trainingSeconds(awaitOutput(start(file, cores, output, options), output));
        }
        Path first = folder.resolve("ceiling-parallel-0.out");
        Path second = folder.resolve("ceiling-parallel-1.out");
        Process a = start(file, 1, first, options);
        Process b = start(file, 1, second, options);
        double side = Math.max(trainingSeconds(awaitOutput(a, first)), trainingSeconds(awaitOutput(b, second)));
        System.out.printf(Locale.ROOT, "  ceiling: the seed-004 network trained twice (%d epochs each), one after the"
                + " other with %d threads %.1f s, at once with 1 thread each %.1f s: %.2fx%n", CEILING_EPOCHS, cores,
                oneAfterTheOther, side, oneAfterTheOther / side);
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
        System.out.printf(Locale.ROOT, "  Fashion-MNIST (12 trials)  in process %6.1f s, --workers 2 %6.1f s: %.2fx%n",
                fashionInProcess, fashionWorkers, fashionInProcess / fashionWorkers);
        ceiling(LabProcess.experiment("fashion-mnist-mlp.yaml"), cores);
        System.out.println();
    }
}

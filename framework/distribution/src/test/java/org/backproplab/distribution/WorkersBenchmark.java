package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: {@code ./mvnw -o -B -pl framework/distribution test -Pbench} times one sweep of eight small
 * Fashion-MNIST trials with {@code --workers 1} and with {@code --workers 2} (and, for reference, in this
 * process) and prints the wall times and their ratio. Each worker gets the machine's PyTorch threads divided by
 * the number of workers, so both runs use every core.
 */
class WorkersBenchmark {

    private static final String SWEEP = """
            name: EXPERIMENT
            seed: 42
            dataset:   { type: fashion-mnist, limit: 20000, test_limit: 2000 }
            model:     { type: mlp, hidden: [256], activation: relu }
            loss:      { type: softmax_cross_entropy }
            optimizer: { type: sgd, lr: 0.1 }
            training:  { epochs: 3, batch_size: 64, log_every: 100 }
            diagnostics: { enabled: false }
            tracking:  { experiment: EXPERIMENT }
            sweep:
              parameters:
                optimizer.lr: [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7]
            """;

    @TempDir
    Path folder;

    private double seconds(String experiment, String... options) throws IOException {
        Path file = Files.writeString(folder.resolve(experiment + ".yaml"), SWEEP.replace("EXPERIMENT", experiment));
        List<String> arguments = new ArrayList<>(List.of("run", file.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString()));
        arguments.addAll(List.of(options));
        long start = System.nanoTime();
        LabProcess.Result result = LabProcess.lab(arguments.toArray(String[]::new));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("8 trials: 8 FINISHED");
        return seconds;
    }

    @Test
    void twoWorkersAgainstOne() throws IOException {
        // As ./lab does: every core for PyTorch (the tests pin one thread), divided among the workers.
        System.setProperty("lab.default.threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        SharedMlflowServer.uri(); // started before timing
        double inProcess = seconds("bench-in-process");
        double oneWorker = seconds("bench-workers-1", "--workers", "1");
        double twoWorkers = seconds("bench-workers-2", "--workers", "2");
        System.out.printf(Locale.ROOT, "%nSweep benchmark, 8 trials, %d cores:%n", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  in this process    %6.1f s%n", inProcess);
        System.out.printf(Locale.ROOT, "  --workers 1        %6.1f s%n", oneWorker);
        System.out.printf(Locale.ROOT, "  --workers 2        %6.1f s%n", twoWorkers);
        System.out.printf(Locale.ROOT, "  wall-time ratio --workers 2 / --workers 1 = %.2f%n%n", twoWorkers / oneWorker);
    }
}

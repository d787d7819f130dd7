package org.backproplab.core.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backproplab.core.search.SamplerBenchmark;
import org.backproplab.core.search.TestFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lab bench ...}: benchmarks of Backprop Lab itself on this machine, logging nothing: {@code step} (a
 * training step's phases against the machine's floor), {@code samplers} (how well each sampler searches, on standard
 * test functions).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of Backprop Lab on this machine; log nothing.",
        subcommands = {BenchStepCommand.class, BenchCommand.Samplers.class})
final class BenchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("Usage: lab bench step [FILE] ... | lab bench samplers [--trials N] [--seeds N]");
        return LabCommand.EXIT_BAD_INPUT;
    }

    @Command(name = "samplers", mixinStandardHelpOptions = true,
            description = "Random search, a grid and TPE on Branin (2-D) and Hartmann-6 (6-D): median and quartiles of"
                    + " the best value each finds in a budget of trials, over many seeds.")
    static final class Samplers implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "50", description = "Trials per search (default: ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--seeds", defaultValue = "20", description = "Seeds 0 to N-1 (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Override
        public Integer call() {
            if (trials < 1 || seeds < 1) {
                System.err.println("lab: --trials and --seeds must be at least 1");
                return LabCommand.EXIT_BAD_INPUT;
            }
            List<TestFunction> functions = List.of(TestFunction.branin(), TestFunction.hartmann6());
            long start = System.nanoTime();
            List<SamplerBenchmark.Result> results = SamplerBenchmark.run(functions, trials, seeds);
            System.out.printf(Locale.ROOT, "Best value found in %d trials, %d seeds (lower is better):%n%n", trials, seeds);
            System.out.print(SamplerBenchmark.table(results, functions));
            System.out.printf(Locale.ROOT, "%n%.1f s%n", (System.nanoTime() - start) / 1e9);
            return 0;
        }
    }
}

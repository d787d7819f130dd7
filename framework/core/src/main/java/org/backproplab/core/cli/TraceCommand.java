package org.backproplab.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab trace FILE --steps N}: the backward pass of the first N steps, layer by layer (z, a, ∂L/∂a,
 * σ′(z), δ, ∂L/∂W, ∂L/∂b and the update), printed and logged as an MLflow run with {@code trace/trace.md}
 * and {@code trace/trace.csv}; training stops after them.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Train the first steps of an experiment and show its backward pass layer by layer, as the articles"
                + " lay it out; logged to MLflow with trace/trace.md and trace/trace.csv.")
final class TraceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the experiment YAML file (not a sweep)")
    Path file;

    @Option(names = "--steps", paramLabel = "N", description = "steps to trace from the first (default: 2)")
    int steps = 2;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE", description = "override a value, as for run")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI", description = "MLflow server, as for run")
    String trackingUri;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() throws ConfigException {
        if (steps < 1 || steps > 1000) {
            throw new UserFacingException("--steps must be from 1 to 1000, got " + steps);
        }
        RunCommand run = new RunCommand();
        run.file = file;
        run.overrides = new ArrayList<>(overrides);
        // One run: a sweep's values are for run; pick a trial's with --set.
        run.overrides.add("sweep=null");
        run.overrides.add("objective=null");
        run.trackingUri = trackingUri;
        run.plugins = plugins;
        run.traceSteps = steps;
        return run.call();
    }
}

package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.sweep.SweepPlan;
import org.backproplab.core.sweep.SweepPlanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab validate FILE...}: check experiment files without training or logging. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check experiment files; train nothing.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "experiment YAML files")
    List<Path> files;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE", description = "override a value, as for run")
    List<String> overrides = new ArrayList<>();

    @Mixin
    PluginOptions plugins;

    /**
     * Every file is checked as {@code run} would check it (a sweep: every trial) and every problem of
     * each is printed; the exit code is 2 if any file has one.
     */
    @Override
    public Integer call() {
        Injector injector = plugins.createInjector();
        ExperimentLoader loader = injector.getInstance(ExperimentLoader.class);
        SweepPlanner sweeps = injector.getInstance(SweepPlanner.class);
        java.io.PrintStream progress = org.backproplab.core.run.ConsoleMode.current().progress(System.out);
        int bad = 0;
        for (Path file : files) {
            try {
                Optional<SweepPlan> sweep = sweeps.plan(file, overrides);
                if (sweep.isPresent()) {
                    progress.println(file + ": OK, a sweep of " + sweep.get().size() + " trials");
                    continue;
                }
                loader.load(file, overrides);
                progress.println(file + ": OK");
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                bad++;
            }
        }
        if (bad > 0 && files.size() > 1) {
            System.err.println(bad + " of " + files.size() + " files have problems");
        }
        return bad == 0 ? 0 : LabCommand.EXIT_BAD_INPUT;
    }
}

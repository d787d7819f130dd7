package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.sweep.SweepPlan;
import org.backproplab.core.sweep.SweepPlanner;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.GradientCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab gradcheck FILE...}: does autograd's gradient of the experiment's model and loss agree
 * with central finite differences? Trains nothing and logs nothing.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare autograd with central finite differences in float64 for every parameter of the model;"
                + " exit 1 when a layer's relative error exceeds the tolerance.")
final class GradcheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "experiment YAML files (a sweep: every trial)")
    List<Path> files;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE", description = "override a value, as for run")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--examples", paramLabel = "N", description = "training examples in the checked batch (default: 4)")
    int examples = GradientCheck.Options.DEFAULT.examples();

    @Option(names = "--samples", paramLabel = "N",
            description = "elements checked per parameter; larger parameters are sampled (default: 32)")
    int samples = GradientCheck.Options.DEFAULT.samplesPerParameter();

    @Option(names = "--tolerance", paramLabel = "E", description = "largest relative error that passes (default: 1e-4)")
    double tolerance = GradientCheck.Options.DEFAULT.tolerance();

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() throws ConfigException {
        if (examples < 1 || samples < 1 || !(tolerance > 0)) {
            throw new org.backproplab.core.training.UserFacingException("--examples and --samples must be at least 1 and"
                    + " --tolerance greater than 0, got " + examples + ", " + samples + ", " + tolerance);
        }
        Injector injector = plugins.createInjector();
        GradientCheck.Options options = new GradientCheck.Options(examples, samples, GradientCheck.Options.DEFAULT.step(), tolerance);
        List<String> failed = new ArrayList<>();
        EngineThreads.configure(null); // once: a gradient check is small and its result does not depend on threads
        for (Path file : files) {
            for (Experiment experiment : experiments(injector, file)) {
                GradientCheck.Result result = GradientCheck.check(injector.getInstance(ExperimentTrainer.class).prepare(experiment),
                        options);
                System.out.printf(Locale.ROOT, "Gradient check of %s (%s): autograd against central differences in float64"
                                + " on %d training example%s, loss %s%n", experiment.name(), file, result.examples(),
                        result.examples() == 1 ? "" : "s", experiment.loss().type());
                System.out.println(result.describe());
                if (!result.passed()) {
                    failed.add(experiment.name());
                }
            }
        }
        if (!failed.isEmpty() && files.size() + failed.size() > 2) {
            System.out.println("Failed: " + String.join(", ", failed));
        }
        return failed.isEmpty() ? 0 : LabCommand.EXIT_RUN_FAILED;
    }

    /** The file's experiment, or every trial of its sweep. */
    private List<Experiment> experiments(Injector injector, Path file) throws ConfigException {
        Optional<SweepPlan> sweep = injector.getInstance(SweepPlanner.class).plan(file, overrides);
        if (sweep.isPresent()) {
            return sweep.get().trials().stream().map(trial -> trial.experiment()).toList();
        }
        return List.of(injector.getInstance(ExperimentLoader.class).load(file, overrides));
    }
}

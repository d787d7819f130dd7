package org.backproplab.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.plugin.LabModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab validate FILE...}: check experiment files without training or logging. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check experiment files; train nothing.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "experiment YAML files")
    List<Path> files;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE", description = "override a value, as for run")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        ExperimentLoader loader = LabModule.createInjector().getInstance(ExperimentLoader.class);
        int bad = 0;
        for (Path file : files) {
            try {
                loader.load(file, overrides);
                System.out.println(file + ": OK");
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                bad++;
            }
        }
        return bad == 0 ? 0 : LabCommand.EXIT_BAD_INPUT;
    }
}

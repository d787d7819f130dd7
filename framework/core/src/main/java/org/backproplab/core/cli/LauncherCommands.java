package org.backproplab.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The commands the {@code ./lab} shell launcher runs itself (they need no Java, or must run before it is built),
 * declared here so that {@code --help}, did-you-mean and shell completion know them too.
 */
final class LauncherCommands {

    private LauncherCommands() {}

    /** Reached only when the CLI is started without the launcher. */
    abstract static class Launcher implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("error: ./lab " + getClass().getAnnotation(Command.class).name()
                    + " is run by the ./lab launcher script itself; start it as ./lab, not through java.");
            return LabCommand.EXIT_BAD_INPUT;
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = "Install the pinned MLflow into .lab/mlflow-venv (and Debian's dataset-fashion-mnist when root).")
    static final class Setup extends Launcher {}

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run the whole test suite as CI does (./mvnw -B verify), after setup.")
    static final class Test extends Launcher {}

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Rebuild now (./lab otherwise rebuilds when sources changed).")
    static final class Build extends Launcher {}

    @Command(name = "screenshot", mixinStandardHelpOptions = true,
            description = "A headless-Chromium picture of MLflow's metric page for RUN_ID (default: grad_profile/init and"
                    + " grad_profile/end, log y-axis): ./lab screenshot RUN_ID [OUT.png] [METRIC...].")
    static final class Screenshot extends Launcher {}
}

package org.backproplab.core.cli;

import java.io.PrintWriter;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.plugin.PluginException;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./lab}: the command line. Exit codes: 0 success, 1 a run failed (diverged or crashed),
 * 2 bad input (experiment file, component, plugin), 3 MLflow unavailable. Problems the user can fix
 * print as messages, never as stack traces.
 */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        versionProvider = LabVersion.class,
        description = "Backprop Lab: deep-learning experiments from YAML files, on DJL/PyTorch, tracked in MLflow.",
        subcommands = {RunCommand.class, ValidateCommand.class, UiCommand.class, ReportCommand.class, PluginsCommand.class,
            SchemaCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class LabCommand {

    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_TRACKING_UNAVAILABLE = 3;

    // Inherited: ./lab --quiet run x.yaml and ./lab run x.yaml --quiet alike. Read from the parse result.
    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "print only errors and the final result")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "print Backprop Lab's debug logs, every progress line, and stack traces of unexpected errors")
    boolean verbose;

    public static void main(String[] arguments) {
        System.exit(execute(arguments));
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int execute(String... arguments) {
        CommandLine commandLine = new CommandLine(new LabCommand());
        commandLine.setExecutionExceptionHandler(LabCommand::handle);
        commandLine.setExecutionStrategy(LabCommand::executeInConsoleMode);
        return commandLine.execute(arguments);
    }

    /** Runs the chosen command with the console mode and log levels of --quiet or --verbose, restored afterwards. */
    private static int executeInConsoleMode(CommandLine.ParseResult parseResult) {
        boolean quiet = false;
        boolean verbose = false;
        for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
            quiet |= level.hasMatchedOption("--quiet");
            verbose |= level.hasMatchedOption("--verbose");
        }
        if (quiet && verbose) {
            throw new CommandLine.ParameterException(parseResult.commandSpec().commandLine(),
                    "--quiet and --verbose cannot be used together");
        }
        ConsoleMode.Verbosity verbosity = quiet ? ConsoleMode.Verbosity.QUIET
                : verbose ? ConsoleMode.Verbosity.VERBOSE : ConsoleMode.Verbosity.NORMAL;
        try (ConsoleMode.Scope console = ConsoleMode.use(ConsoleMode.detect(verbosity, System.getenv()));
                LogLevels levels = LogLevels.apply(verbosity)) {
            return new CommandLine.RunLast().execute(parseResult);
        }
    }

    private static int handle(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        ConsoleMode.closeOpenDisplays(); // a progress bar would redraw over the message
        PrintWriter err = commandLine.getErr();
        if (exception instanceof ConfigException config) {
            err.println(config.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (exception instanceof UserFacingException || exception instanceof PluginException) {
            err.println("error: " + exception.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (exception instanceof TrackingException) {
            err.println("error: " + exception.getMessage());
            return EXIT_TRACKING_UNAVAILABLE;
        }
        err.println("error: " + exception);
        if (ConsoleMode.current().verbose() || Boolean.getBoolean("lab.verbose") || System.getenv("LAB_VERBOSE") != null) {
            exception.printStackTrace(err);
        } else {
            err.println("(--verbose or LAB_VERBOSE=1 prints the stack trace)");
        }
        return EXIT_RUN_FAILED;
    }
}

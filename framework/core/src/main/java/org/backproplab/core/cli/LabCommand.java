package org.backproplab.core.cli;

import java.io.PrintWriter;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.plugin.PluginException;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        subcommands = {RunCommand.class, ValidateCommand.class, UiCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class LabCommand {

    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_TRACKING_UNAVAILABLE = 3;

    public static void main(String[] arguments) {
        System.exit(execute(arguments));
    }

    /** Runs the command line and returns its exit code (tests call this in-process). */
    public static int execute(String... arguments) {
        CommandLine commandLine = new CommandLine(new LabCommand());
        commandLine.setExecutionExceptionHandler(LabCommand::handle);
        return commandLine.execute(arguments);
    }

    private static int handle(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
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
        if (Boolean.getBoolean("lab.verbose") || System.getenv("LAB_VERBOSE") != null) {
            exception.printStackTrace(err);
        } else {
            err.println("(set LAB_VERBOSE=1 for the stack trace)");
        }
        return EXIT_RUN_FAILED;
    }
}

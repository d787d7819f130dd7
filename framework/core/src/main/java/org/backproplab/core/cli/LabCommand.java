package org.backproplab.core.cli;

import java.io.PrintWriter;
import java.util.List;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.NameSuggester;
import org.backproplab.core.plugin.PluginException;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.tracking.MlflowServer;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./lab}: the command line. Exit codes: 0 success, 1 a run failed (diverged or crashed),
 * 2 bad input (experiment file, component, plugin), 3 MLflow unavailable, 130 interrupted (Ctrl-C). Problems the
 * user can fix print as messages, never as stack traces.
 */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        versionProvider = LabVersion.class,
        description = "Backprop Lab: deep-learning experiments from YAML files, on DJL/PyTorch, tracked in MLflow.",
        subcommands = {RunCommand.class, ValidateCommand.class, BenchCommand.class, UiCommand.class, ServerCommand.class, ReportCommand.class, SyncCommand.class,
            PluginsCommand.class, SchemaCommand.class, GradcheckCommand.class, TraceCommand.class, LauncherCommands.Setup.class, LauncherCommands.Test.class,
            LauncherCommands.Build.class, LauncherCommands.Screenshot.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0    success", "  1    a run failed (diverged or crashed), or a sweep had no finished trial",
            "  2    bad input: experiment file, option, component, plugin (nothing is logged)",
            "  3    the MLflow server is unreachable (or the local one cannot start)",
            "  130  interrupted (Ctrl-C); runs in progress are marked KILLED%n"})
public final class LabCommand {

    public static final int EXIT_RUN_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_TRACKING_UNAVAILABLE = 3;
    /** 128 + SIGINT, what a shell reports for a command ended by Ctrl-C. */
    public static final int EXIT_INTERRUPTED = 130;

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
        commandLine.setParameterExceptionHandler(LabCommand::handleBadArguments);
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

    private static boolean verboseRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** A misspelled command gets a did-you-mean; other bad arguments picocli's message and the command's usage. */
    private static int handleBadArguments(CommandLine.ParameterException exception, String[] arguments) {
        CommandLine command = exception.getCommandLine();
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched && !command.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            String typed = unmatched.getUnmatched().get(0);
            List<String> names = command.getSubcommands().keySet().stream().toList();
            PrintWriter err = command.getErr();
            err.println("error: unknown command '" + typed + "'" + NameSuggester.didYouMean(typed, names)
                    + " (commands: " + String.join(", ", names) + "; " + String.join(" ", qualifiedName(command))
                    + " --help says more)");
            return EXIT_BAD_INPUT;
        }
        PrintWriter err = command.getErr();
        err.println("error: " + exception.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(exception, err)) {
            err.println("(" + String.join(" ", qualifiedName(command)) + " --help lists the options)");
        }
        return EXIT_BAD_INPUT;
    }

    /** {@code ./lab run} for the run command. */
    private static List<String> qualifiedName(CommandLine command) {
        List<String> names = new java.util.ArrayList<>();
        for (CommandLine level = command; level != null; level = level.getParent()) {
            names.add(0, level.getParent() == null ? "./lab" : level.getCommandName());
        }
        return names;
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
        if (exception instanceof MlflowServer.StartupInterruptedException) {
            return EXIT_INTERRUPTED; // the shutdown hook said so already, before the JVM halts
        }
        if (exception instanceof TrackingException) {
            err.println("error: " + exception.getMessage());
            return EXIT_TRACKING_UNAVAILABLE;
        }
        err.println("error: " + exception);
        // The console mode of --verbose ended with the command, before this handler runs: ask the parse result.
        if (verboseRequested(parseResult) || ConsoleMode.current().verbose() || Boolean.getBoolean("lab.verbose")
                || System.getenv("LAB_VERBOSE") != null) {
            exception.printStackTrace(err);
        } else {
            err.println("(--verbose or LAB_VERBOSE=1 prints the stack trace)");
        }
        return EXIT_RUN_FAILED;
    }
}

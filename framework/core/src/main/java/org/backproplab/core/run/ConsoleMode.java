package org.backproplab.core.run;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the command line talks to the person at the terminal: how much it prints, and whether it may
 * draw progress bars.
 *
 * <p>Like the log level, the mode belongs to the process: {@code ./lab} sets it from
 * {@code --quiet}/{@code --verbose} for the duration of one command ({@link #use}), and
 * {@link ConsoleReporter} and {@link ProgressDisplay} read it. Bars are drawn only on a terminal
 * ({@link System#console()} is there) and never when the environment variable {@code CI} is set;
 * elsewhere progress is plain lines, which log files and CI consoles keep readable.
 *
 * @param verbosity how much to print
 * @param interactive whether progress may be drawn as bars that redraw themselves
 */
public record ConsoleMode(Verbosity verbosity, boolean interactive) {

    /** How much the command line prints. */
    public enum Verbosity {
        /** Errors and the final result only. */
        QUIET,
        /** Progress, the final result, warnings and errors. */
        NORMAL,
        /** Also debug logs of org.backproplab, every progress line, and stack traces of unexpected errors. */
        VERBOSE
    }

    private static final AtomicReference<ConsoleMode> CURRENT = new AtomicReference<>();
    /** Bars and displays drawn now, closed before an error is printed or when the command ends. */
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
    /** Trial displays open now: while a sweep shows its trials, a trial's epochs draw no bar of their own. */
    private static final Set<ProgressDisplay> TRIAL_DISPLAYS = ConcurrentHashMap.newKeySet();

    public ConsoleMode {
        Objects.requireNonNull(verbosity, "verbosity");
    }

    /** The mode for a verbosity on this process's console: interactive on a terminal, unless {@code CI} is set. */
    public static ConsoleMode detect(Verbosity verbosity, Map<String, String> environment) {
        boolean terminal = System.console() != null;
        boolean ci = environment.get("CI") != null;
        boolean dumb = "dumb".equals(environment.get("TERM"));
        return new ConsoleMode(verbosity, terminal && !ci && !dumb);
    }

    /** The mode of the command being run; outside one, {@link Verbosity#NORMAL} on this console. */
    public static ConsoleMode current() {
        ConsoleMode mode = CURRENT.get();
        return mode != null ? mode : detect(Verbosity.NORMAL, System.getenv());
    }

    /**
     * Makes {@code mode} current until the returned scope is closed, which also closes any bar or
     * display still open and restores the previous mode.
     */
    public static Scope use(ConsoleMode mode) {
        ConsoleMode previous = CURRENT.getAndSet(Objects.requireNonNull(mode, "mode"));
        return () -> {
            closeOpenDisplays();
            CURRENT.set(previous);
        };
    }

    /** Closes every bar and display still drawing, e.g. before an error message is printed. */
    public static void closeOpenDisplays() {
        for (AutoCloseable display : Set.copyOf(OPEN)) {
            try {
                display.close();
            } catch (Exception e) {
                // closing a display is best effort: it only stops a redraw
            } finally {
                OPEN.remove(display);
            }
        }
        TRIAL_DISPLAYS.clear();
    }

    static void opened(AutoCloseable display) {
        OPEN.add(display);
        if (display instanceof ProgressDisplay trials) {
            TRIAL_DISPLAYS.add(trials);
        }
    }

    static void closed(AutoCloseable display) {
        OPEN.remove(display);
        TRIAL_DISPLAYS.remove(display);
    }

    /** Whether a sweep's trial display is showing, so that a trial's own epoch progress stays out of its way. */
    static boolean trialsInProgress() {
        return !TRIAL_DISPLAYS.isEmpty();
    }

    /** Whether only errors and the final result are printed. */
    public boolean quiet() {
        return verbosity == Verbosity.QUIET;
    }

    /** Whether everything is printed, debug logs included. */
    public boolean verbose() {
        return verbosity == Verbosity.VERBOSE;
    }

    /**
     * Where progress messages go: {@code out}, or nowhere when quiet. Final results are printed to
     * {@code out} directly.
     */
    public PrintStream progress(PrintStream out) {
        return quiet() ? new PrintStream(OutputStream.nullOutputStream()) : out;
    }

    /** The end of a {@link #use} scope. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

package org.backproplab.core.run;

import java.io.PrintStream;

/**
 * Progress over the trials of a sweep: a bar on a terminal, one line per trial elsewhere, nothing
 * when quiet; closing it prints the summary. Thread-safe, so parallel workers report into one
 * display. While it is open, each trial's {@link ConsoleReporter} draws no epoch bar (two bars
 * would fight over the line) and prints epoch lines only with {@code --verbose}.
 *
 * <pre>{@code
 * try (ProgressDisplay progress = ProgressDisplay.forTrials(trials.size(), System.out)) {
 *     progress.trialStarted(3, "optimizer.lr=0.1");
 *     ...
 *     progress.trialEnded(3, "optimizer.lr=0.1", true, "FINISHED: eval/accuracy 0.97");
 * }
 * }</pre>
 */
public interface ProgressDisplay extends AutoCloseable {

    /**
     * A trial started.
     *
     * @param trial its number, from 1
     * @param label what distinguishes it, e.g. {@code "optimizer.lr=0.1 model.depth=4"}
     */
    void trialStarted(int trial, String label);

    /**
     * A trial ended.
     *
     * @param trial its number, from 1
     * @param label as given to {@link #trialStarted}
     * @param succeeded whether it finished as planned (not diverged, crashed or stopped)
     * @param outcome one line about it, e.g. {@code "FINISHED: 5000 steps, final train/loss 0.002"}
     */
    void trialEnded(int trial, String label, boolean succeeded, String outcome);

    /** Ends the display and prints the summary: how many trials succeeded and failed, and how long it took. */
    @Override
    void close();

    /** A display of {@code trials} trials in the current {@link ConsoleMode}, printing lines to {@code out}. */
    static ProgressDisplay forTrials(int trials, PrintStream out) {
        return forTrials(trials, out, ConsoleMode.current());
    }

    /** A display of {@code trials} trials in the given mode, printing lines to {@code out}. */
    static ProgressDisplay forTrials(int trials, PrintStream out, ConsoleMode mode) {
        return new TrialProgress(trials, out, mode, null);
    }
}

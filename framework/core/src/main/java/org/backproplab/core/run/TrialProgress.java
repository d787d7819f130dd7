package org.backproplab.core.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;

/** {@link ProgressDisplay#forTrials}: a bar over trials on a terminal, a line per trial elsewhere, nothing when quiet. */
final class TrialProgress implements ProgressDisplay {

    private final int trials;
    private final PrintStream out;
    private final ConsoleMode mode;
    private final long startNanos = System.nanoTime();
    private final TreeMap<Integer, String> running = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private ProgressBar bar;
    private int succeeded;
    private boolean closed;

    /** @param consumer where a bar is drawn; {@code null} for the terminal */
    TrialProgress(int trials, PrintStream out, ConsoleMode mode, ProgressBarConsumer consumer) {
        this.trials = trials;
        this.out = out;
        this.mode = mode;
        if (mode.interactive() && !mode.quiet()) {
            bar = ProgressBars.start("trials", trials, consumer);
        }
        ConsoleMode.opened(this);
    }

    @Override
    public synchronized void trialStarted(int trial, String label) {
        running.put(trial, label);
        if (bar != null) {
            bar.setExtraMessage(runningMessage());
        } else if (!mode.quiet()) {
            out.printf(Locale.ROOT, "trial %d/%d started: %s%n", trial, trials, label);
        }
    }

    @Override
    public synchronized void trialEnded(int trial, String label, boolean success, String outcome) {
        running.remove(trial);
        if (success) {
            succeeded++;
        } else {
            failures.add(String.format(Locale.ROOT, "trial %d (%s): %s", trial, label, outcome));
        }
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(runningMessage());
        } else if (!mode.quiet()) {
            out.printf(Locale.ROOT, "trial %d/%d %s: %s%n", trial, trials, label, outcome);
        }
    }

    private String runningMessage() {
        return running.isEmpty() ? "" : "running: trial " + String.join(", ", running.keySet().stream().map(String::valueOf).toList());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ConsoleMode.closed(this);
        if (bar != null) {
            bar.close();
        }
        if (mode.quiet()) {
            return;
        }
        int ended = succeeded + failures.size();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "%d of %d trials succeeded", succeeded, trials));
        if (!failures.isEmpty()) {
            summary.append(", ").append(failures.size()).append(" failed");
        }
        if (ended < trials) {
            summary.append(", ").append(trials - ended).append(" did not run");
        }
        summary.append(" in ").append(ProgressBars.duration(Duration.ofNanos(System.nanoTime() - startNanos)));
        out.println(summary);
        failures.forEach(failure -> out.println("  failed: " + failure));
    }
}

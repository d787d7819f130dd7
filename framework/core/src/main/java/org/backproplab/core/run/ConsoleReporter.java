package org.backproplab.core.run;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Training;

/**
 * Shows training progress on the console, as the {@link ConsoleMode} allows: on a terminal a bar
 * over the epochs (on standard error) with the step and the key metrics; elsewhere about ten epoch
 * lines per run (every epoch when there are few); nothing when quiet. Inside a sweep whose
 * {@link ProgressDisplay} is showing, it draws no bar and prints lines only when verbose.
 *
 * <p>The bar closes itself after the last epoch or when the loss diverges; {@link #close()} (or the
 * end of the command, see {@link ConsoleMode#use}) closes it when training stops otherwise.
 */
public final class ConsoleReporter implements Callback, AutoCloseable {

    private static final String[] SHOWN = {"train/loss", "eval/loss", "eval/accuracy"};

    private final PrintStream out;
    private final boolean drawBar;
    private final boolean printLines;
    private final ProgressBarConsumer barConsumer;
    private final Map<String, Double> shown = new LinkedHashMap<>();
    private ProgressBar bar;
    private boolean finished;
    private long step;

    /** A reporter in the current {@link ConsoleMode}, printing lines to {@code out}. */
    public ConsoleReporter(PrintStream out) {
        this(out, ConsoleMode.current());
    }

    /** A reporter in the given mode, printing lines to {@code out}. */
    public ConsoleReporter(PrintStream out, ConsoleMode mode) {
        this(out, mode, null);
    }

    /** @param barConsumer where a bar is drawn; {@code null} for the terminal */
    ConsoleReporter(PrintStream out, ConsoleMode mode, ProgressBarConsumer barConsumer) {
        this.out = out;
        this.barConsumer = barConsumer;
        boolean insideSweep = ConsoleMode.trialsInProgress();
        this.drawBar = mode.interactive() && !mode.quiet() && !insideSweep;
        this.printLines = !drawBar && (mode.verbose() || (!mode.quiet() && !insideSweep));
    }

    @Override
    public synchronized void onEvaluation(Training training, Map<String, Double> metrics) {
        step = training.step();
        remember(training.latestMetrics());
        if (drawBar && !finished) {
            bar(-1).setExtraMessage(message());
        }
    }

    @Override
    public synchronized void onTrainEnd(Training training, String outcome) {
        close(); // the bar keeps its last state on screen
    }

    @Override
    public synchronized void onEpochEnd(Training training, double seconds) {
        int epoch = training.epoch();
        int epochs = training.epochs();
        step = training.step();
        Map<String, Double> latest = training.latestMetrics();
        remember(latest);
        if (drawBar) {
            if (finished) {
                return;
            }
            ProgressBar progress = bar(epochs);
            progress.maxHint(epochs);
            progress.stepTo(epoch);
            progress.setExtraMessage(message());
            if (epoch >= epochs) {
                close();
            }
            return;
        }
        if (!printLines) {
            return;
        }
        int every = Math.max(1, epochs / 10);
        if (epoch % every != 0 && epoch != epochs) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  epoch %d/%d  %.2fs", epoch, epochs, seconds));
        for (String key : SHOWN) {
            Double value = latest.get(key);
            if (value != null) {
                line.append(String.format(Locale.ROOT, "  %s %.4g", key, value));
            }
        }
        out.println(line);
    }

    private void remember(Map<String, Double> latest) {
        for (String name : SHOWN) {
            Double value = latest.get(name);
            if (value != null) {
                shown.put(name, value);
            }
        }
    }

    /** Stops drawing the bar, leaving its last state on screen. Idempotent. */
    @Override
    public synchronized void close() {
        finished = true;
        if (bar != null) {
            bar.close();
            bar = null;
            ConsoleMode.closed(this);
        }
    }

    private ProgressBar bar(long epochs) {
        if (bar == null) {
            bar = ProgressBars.start("epochs", epochs, barConsumer);
            ConsoleMode.opened(this);
        }
        return bar;
    }

    private String message() {
        StringBuilder text = new StringBuilder("step ").append(step);
        shown.forEach((key, value) -> text.append(String.format(Locale.ROOT, "  %s %.4g", key, value)));
        return text.toString();
    }
}

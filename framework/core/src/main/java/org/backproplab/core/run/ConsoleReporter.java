package org.backproplab.core.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.backproplab.core.training.TrainingListener;

/** Prints about ten epoch lines per run (every epoch when there are few), with the key metrics. */
public final class ConsoleReporter implements TrainingListener {

    private static final String[] SHOWN = {"train/loss", "eval/loss", "eval/accuracy"};

    private final PrintStream out;

    public ConsoleReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochEnd(int epoch, int epochs, double seconds, Map<String, Double> latest) {
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
}

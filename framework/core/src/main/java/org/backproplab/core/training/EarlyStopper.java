package org.backproplab.core.training;

import java.util.Locale;
import org.backproplab.core.config.EarlyStopping;

/**
 * Watches one metric for {@code training.early_stopping} and says when it has failed to improve on its best
 * value {@code patience} times in a row. A NaN never improves. Without settings it never stops training.
 */
final class EarlyStopper implements TrainingListener {

    private final EarlyStopping settings;
    private double best = Double.NaN;
    private int withoutImprovement;

    EarlyStopper(EarlyStopping settings) {
        this.settings = settings;
    }

    @Override
    public void onMetric(String key, double value, long step) {
        if (settings == null || !key.equals(settings.metric())) {
            return;
        }
        boolean improved = !Double.isNaN(value) && (Double.isNaN(best)
                || ("max".equals(settings.mode()) ? value > best + settings.minDelta() : value < best - settings.minDelta()));
        if (improved) {
            best = value;
            withoutImprovement = 0;
        } else {
            withoutImprovement++;
        }
    }

    boolean shouldStop() {
        return settings != null && withoutImprovement >= settings.patience();
    }

    /** Why training stopped, e.g. "stopped early at step 300 (epoch 3): eval/loss did not improve on 0.412 for 5 evaluations". */
    String reason(long step, int epoch) {
        return String.format(Locale.ROOT, "stopped early at step %d (epoch %d): %s did not improve on %.4g for %d evaluations",
                step, epoch, settings.metric(), best, settings.patience());
    }
}

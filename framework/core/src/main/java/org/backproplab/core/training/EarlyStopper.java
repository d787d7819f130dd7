package org.backproplab.core.training;

import java.util.Locale;
import java.util.Map;
import org.backproplab.core.config.EarlyStopping;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Training;

/**
 * {@code training.early_stopping}: watches one metric at every logged step and asks training to stop once it
 * has failed to improve on its best value {@code patience} times in a row. A NaN never improves.
 */
final class EarlyStopper implements Callback {

    private final EarlyStopping settings;
    private double best = Double.NaN;
    private int withoutImprovement;

    EarlyStopper(EarlyStopping settings) {
        this.settings = settings;
    }

    @Override
    public void onEvaluation(Training training, Map<String, Double> metrics) {
        Double value = training.latestMetrics().get(settings.metric());
        if (value == null) {
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
        if (withoutImprovement >= settings.patience()) {
            training.requestStop(String.format(Locale.ROOT, "%s did not improve on %.4g for %d evaluations",
                    settings.metric(), best, settings.patience()));
        }
    }
}

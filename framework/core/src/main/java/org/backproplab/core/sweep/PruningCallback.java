package org.backproplab.core.sweep;

import java.util.Map;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Training;

/**
 * The trial's side of pruning: at every evaluation it reports the objective's value to the sweep's pruner, and
 * stops training when the pruner says so. The pruner lives in the sweep driver; a worker process reaches it over
 * its standard output and input.
 */
final class PruningCallback implements Callback {

    /** Where the values go: the answer is why to stop, or {@code null} to go on. */
    @FunctionalInterface
    interface Reporter {
        String report(long step, double value);
    }

    /** What a pruned run's outcome starts with (after "stopped early at step N (epoch E): "). */
    static final String PRUNED = "pruned: ";

    private final String metric;
    private final Reporter reporter;

    PruningCallback(String metric, Reporter reporter) {
        this.metric = metric;
        this.reporter = reporter;
    }

    @Override
    public void onEvaluation(Training training, Map<String, Double> metrics) {
        // The objective may be a training metric (train/loss), logged just before the evaluation.
        Double value = metrics.containsKey(metric) ? metrics.get(metric) : training.latestMetrics().get(metric);
        if (value == null) {
            return;
        }
        String reason = reporter.report(training.step(), value);
        if (reason != null) {
            training.requestStop(PRUNED + reason);
        }
    }
}

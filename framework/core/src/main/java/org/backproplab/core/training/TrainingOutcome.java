package org.backproplab.core.training;

import java.util.Map;

/**
 * How a training run ended.
 *
 * @param ending whether it completed, diverged (NaN or infinite loss) or was stopped (Ctrl-C)
 * @param steps optimizer steps taken
 * @param epochs epochs completed
 * @param lastValues the last recorded value of every metric
 * @param secondsPerEpoch the mean wall time of an epoch
 * @param message one line for the user: what happened
 * @param parameters the trained parameters by DJL name, for models of at most {@link #SMALL_MODEL}
 *     values (so a linear fit can be checked against the truth); empty for larger ones
 */
public record TrainingOutcome(
        Ending ending, long steps, int epochs, Map<String, Double> lastValues, double secondsPerEpoch, String message,
        Map<String, float[]> parameters) {

    /** The largest model whose parameters an outcome carries. */
    public static final int SMALL_MODEL = 10_000;

    /** Why training ended. */
    public enum Ending {
        COMPLETED,
        DIVERGED,
        STOPPED
    }

    /** The last value of a metric, or NaN when it was never recorded. */
    public double last(String key) {
        return lastValues.getOrDefault(key, Double.NaN);
    }
}

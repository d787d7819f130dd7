package org.backproplab.core.training;

import java.util.List;
import java.util.Map;

/**
 * Receives what training measures, in the shape of DJL's {@code TrainingListener}: MLflow
 * tracking, the console and tests are listeners.
 */
public interface TrainingListener {

    /** One value of a metric at an optimizer step; a key's steps never decrease. */
    default void onMetric(String key, double value, long step) {}

    /** An epoch ended; {@code latest} holds the last value of every metric so far. */
    default void onEpochEnd(int epoch, int epochs, double seconds, Map<String, Double> latest) {}

    /** Calls every listener in turn. */
    static TrainingListener all(List<TrainingListener> listeners) {
        List<TrainingListener> copy = List.copyOf(listeners);
        return new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                copy.forEach(listener -> listener.onMetric(key, value, step));
            }

            @Override
            public void onEpochEnd(int epoch, int epochs, double seconds, Map<String, Double> latest) {
                copy.forEach(listener -> listener.onEpochEnd(epoch, epochs, seconds, latest));
            }
        };
    }
}

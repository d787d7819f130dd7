package org.backproplab.core.training;

import java.util.List;
import org.backproplab.spi.Artifact;

/**
 * Where a run's measurements go as training makes them: MLflow tracking and tests are listeners.
 * Callbacks ({@link org.backproplab.spi.Callback}) act on training; listeners only receive.
 */
public interface TrainingListener {

    /** One value of a metric at an optimizer step; a key's steps never decrease. */
    default void onMetric(String key, double value, long step) {}

    /** A file to keep with the run, from a callback or a metric. */
    default void onArtifact(Artifact artifact) {}

    /** Calls every listener in turn. */
    static TrainingListener all(List<TrainingListener> listeners) {
        List<TrainingListener> copy = List.copyOf(listeners);
        return new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                copy.forEach(listener -> listener.onMetric(key, value, step));
            }

            @Override
            public void onArtifact(Artifact artifact) {
                copy.forEach(listener -> listener.onArtifact(artifact));
            }
        };
    }
}

package org.backproplab.spi;

import java.util.List;
import java.util.Map;

/**
 * An evaluation metric over the test split, made by a {@link MetricFactory} for the experiment
 * file's {@code metrics: [...]} list. At every evaluation the framework calls {@link #reset()},
 * then {@link #update} for each chunk of the split, then {@link #values()}; it logs each value
 * under {@code eval/<key>}.
 */
public interface Metric {

    /** Forgets the previous evaluation. */
    void reset();

    /**
     * Adds a chunk of the test split.
     *
     * @param batch outputs, targets and, for classification, labels; its arrays are freed after
     *     the call
     */
    void update(EvaluationBatch batch);

    /**
     * The metric's values over every chunk since {@link #reset()}.
     *
     * @return key to value, keys without the {@code eval/} prefix: {@code "f1_macro"},
     *     {@code "f1/class_03"}
     */
    Map<String, Double> values();

    /**
     * Files to keep with the run after its last evaluation, such as a confusion matrix.
     *
     * @return the files; none by default
     */
    default List<Artifact> artifacts() {
        return List.of();
    }
}

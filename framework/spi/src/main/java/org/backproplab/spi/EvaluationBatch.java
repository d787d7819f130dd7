package org.backproplab.spi;

import ai.djl.ndarray.NDArray;

/**
 * A chunk of the test split as a {@link Metric} sees it during an evaluation.
 *
 * @param outputs the model's outputs, shape {@code (n, outputSize)}
 * @param targets the targets, shape {@code (n, targetSize)}
 * @param predictedLabels for classification, the class the loss predicts for each example (0/1 for
 *     binary classification); {@code null} for regression
 * @param targetLabels for classification, each example's true class; {@code null} for regression
 */
public record EvaluationBatch(NDArray outputs, NDArray targets, int[] predictedLabels, int[] targetLabels) {

    /**
     * The number of examples in the chunk.
     *
     * @return the outputs' first dimension
     */
    public int size() {
        return Math.toIntExact(outputs.getShape().get(0));
    }
}

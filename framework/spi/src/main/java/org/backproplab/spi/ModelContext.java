package org.backproplab.spi;

import ai.djl.ndarray.types.Shape;

/**
 * What the framework tells a model factory: the shapes the dataset dictates.
 *
 * @param inputShape the shape of one example going in, without the batch dimension: {@code [n]}
 *     for vectors, {@code [channels, height, width]} for images
 * @param outputSize values per example coming out (classes for multiclass classification)
 * @param task the dataset's task
 */
public record ModelContext(Shape inputShape, int outputSize, Task task) {

    /**
     * A context for flat vector inputs.
     *
     * @param inputSize values per example going in
     * @param outputSize values per example coming out
     * @param task the dataset's task
     */
    public ModelContext(int inputSize, int outputSize, Task task) {
        this(new Shape(inputSize), outputSize, task);
    }

    /**
     * The number of values per example going in, for models that flatten their input.
     *
     * @return {@code inputShape().size()}
     */
    public int inputSize() {
        return Math.toIntExact(inputShape.size());
    }
}

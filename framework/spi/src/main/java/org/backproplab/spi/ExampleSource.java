package org.backproplab.spi;

import ai.djl.ndarray.types.Shape;
import java.util.Optional;

/**
 * A split of a dataset that hands out examples by index, so it need not sit in memory: a plugin
 * may read each example from disk when asked. {@link Examples} is the in-memory implementation.
 *
 * <p>The framework keeps batching, shuffling and seeding to itself: it draws the order of the
 * examples from the experiment's seed and asks for them one at a time with {@link #read}. Reads may
 * come from a background thread but never from two threads at once.
 */
public interface ExampleSource {

    /**
     * The number of examples.
     *
     * @return at least 1
     */
    int size();

    /**
     * The shape of one example's features, without the batch dimension: {@code [n]} for a vector,
     * {@code [1, 28, 28]} for a grey 28×28 image.
     *
     * @return the feature shape; its {@link Shape#size()} values are what {@link #read} writes
     */
    Shape featureShape();

    /**
     * Values per target: 1 for a class index or a 0/1 label, the output width for regression.
     *
     * @return at least 1
     */
    int targetSize();

    /**
     * Copies example {@code index} into the buffers, features at {@code featureOffset} (row-major
     * over {@link #featureShape()}) and targets at {@code targetOffset}.
     *
     * @param index the example, from 0 to {@code size() - 1}
     * @param features where the {@code featureShape().size()} feature values go
     * @param featureOffset the index in {@code features} of the first value
     * @param targets where the {@link #targetSize()} target values go
     * @param targetOffset the index in {@code targets} of the first value
     * @throws ComponentException when the example cannot be read (a file vanished, ...)
     */
    void read(int index, float[] features, int featureOffset, float[] targets, int targetOffset);

    /**
     * Values per example's features.
     *
     * @return {@code featureShape().size()}, as an int
     */
    default int featureSize() {
        return Math.toIntExact(featureShape().size());
    }

    /**
     * The same features as bytes, when they are bytes scaled by one divisor (see {@link ByteFeatures}):
     * batches are then assembled from them. Reads follow {@link #read}'s rules (one thread at a time).
     *
     * @return empty by default: every batch is read with {@link #read}
     */
    default Optional<ByteFeatures> byteFeatures() {
        return Optional.empty();
    }
}

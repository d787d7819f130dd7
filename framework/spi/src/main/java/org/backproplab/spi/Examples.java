package org.backproplab.spi;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * A split of a dataset held in memory as two row-major float matrices.
 *
 * <p>For classification the target of each example is its class index (one column); for binary
 * classification it is 0 or 1. The framework slices batches from the matrices, so a plugin never
 * deals with NDArrays or batching.
 *
 * @param features {@code size * featureShape.size()} values, example after example
 * @param featureShape the shape of one example without the batch dimension, e.g. {@code [784]} or
 *     {@code [1, 28, 28]}
 * @param targets {@code size * targetSize} values, example after example
 * @param targetSize values per target
 */
public record Examples(float[] features, Shape featureShape, float[] targets, int targetSize) implements ExampleSource {

    /**
     * Checks that the matrices have the declared widths and agree on the number of examples.
     *
     * @param features the feature matrix, row-major
     * @param featureShape the shape of one example
     * @param targets the target matrix, row-major
     * @param targetSize values per target
     * @throws NullPointerException when an array or the shape is null
     * @throws IllegalArgumentException when a width is not positive or the sizes disagree
     */
    public Examples {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(featureShape, "featureShape");
        Objects.requireNonNull(targets, "targets");
        long featureSize = featureShape.size();
        if (featureShape.dimension() == 0 || featureSize <= 0 || featureSize > Integer.MAX_VALUE || targetSize <= 0) {
            throw new IllegalArgumentException("featureShape and targetSize must be positive, featureShape = "
                    + featureShape + ", targetSize = " + targetSize);
        }
        if (features.length % featureSize != 0 || targets.length % targetSize != 0
                || features.length / featureSize != targets.length / targetSize) {
            throw new IllegalArgumentException("features and targets disagree on the number of examples: "
                    + features.length + "/" + featureSize + " vs " + targets.length + "/" + targetSize);
        }
    }

    /**
     * Examples whose features are flat vectors of {@code featureSize} values.
     *
     * @param features the feature matrix, row-major
     * @param featureSize values per example
     * @param targets the target matrix, row-major
     * @param targetSize values per target
     */
    public Examples(float[] features, int featureSize, float[] targets, int targetSize) {
        this(features, new Shape(featureSize), targets, targetSize);
    }

    /**
     * The number of examples.
     *
     * @return {@code features.length / featureSize()}
     */
    @Override
    public int size() {
        return features.length / featureSize();
    }

    @Override
    public void read(int index, float[] featureBuffer, int featureOffset, float[] targetBuffer, int targetOffset) {
        int featureSize = featureSize();
        System.arraycopy(features, index * featureSize, featureBuffer, featureOffset, featureSize);
        System.arraycopy(targets, index * targetSize, targetBuffer, targetOffset, targetSize);
    }

    /**
     * The examples of a source in memory, read one by one; the source itself when it already is
     * {@code Examples}. For tests and small sources: a large source may not fit.
     *
     * @param source the examples
     * @return the same examples as matrices
     */
    public static Examples copyOf(ExampleSource source) {
        if (source instanceof Examples examples) {
            return examples;
        }
        int size = source.size();
        int featureSize = source.featureSize();
        int targetSize = source.targetSize();
        float[] features = new float[Math.multiplyExact(size, featureSize)];
        float[] targets = new float[Math.multiplyExact(size, targetSize)];
        for (int i = 0; i < size; i++) {
            source.read(i, features, i * featureSize, targets, i * targetSize);
        }
        return new Examples(features, source.featureShape(), targets, targetSize);
    }
}

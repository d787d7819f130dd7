package org.backproplab.spi;

import java.util.Objects;

/**
 * A split of a dataset held in memory as two row-major float matrices.
 *
 * <p>For classification the target of each example is its class index (one column); for binary
 * classification it is 0 or 1. The framework copies both matrices into the engine once and slices
 * batches from them, so a plugin never deals with NDArrays or batching.
 *
 * @param features {@code size * featureSize} values, example after example
 * @param featureSize values per example (the model's input size)
 * @param targets {@code size * targetSize} values, example after example
 * @param targetSize values per target
 */
public record Examples(float[] features, int featureSize, float[] targets, int targetSize) {

    /**
     * Checks that the matrices have the declared widths and agree on the number of examples.
     *
     * @param features the feature matrix, row-major
     * @param featureSize values per example
     * @param targets the target matrix, row-major
     * @param targetSize values per target
     * @throws NullPointerException when an array is null
     * @throws IllegalArgumentException when a width is not positive or the sizes disagree
     */
    public Examples {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(targets, "targets");
        if (featureSize <= 0 || targetSize <= 0) {
            throw new IllegalArgumentException(
                    "featureSize and targetSize must be positive, featureSize = " + featureSize + ", targetSize = " + targetSize);
        }
        if (features.length % featureSize != 0 || targets.length % targetSize != 0
                || features.length / featureSize != targets.length / targetSize) {
            throw new IllegalArgumentException("features and targets disagree on the number of examples: "
                    + features.length + "/" + featureSize + " vs " + targets.length + "/" + targetSize);
        }
    }

    /**
     * The number of examples.
     *
     * @return {@code features.length / featureSize}
     */
    public int size() {
        return features.length / featureSize;
    }
}

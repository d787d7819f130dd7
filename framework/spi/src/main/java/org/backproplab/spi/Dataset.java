package org.backproplab.spi;

import java.util.Optional;

/**
 * A dataset made by a {@link DatasetFactory}: a training split, an optional test split, and what
 * the task is.
 *
 * @param task what the targets mean
 * @param outputSize the model output width: the number of classes for multiclass classification,
 *     otherwise the target width
 * @param train the examples the model trains on
 * @param test the held-out examples evaluated as {@code eval/*}; empty to evaluate on nothing
 */
public record Dataset(Task task, int outputSize, Examples train, Optional<Examples> test) {

    /**
     * Checks that the splits agree.
     *
     * @param task what the targets mean
     * @param outputSize the model output width
     * @param train the training split
     * @param test the test split, or empty
     * @throws IllegalArgumentException when {@code outputSize} is not positive or the test split's
     *     feature size differs from the training split's
     */
    public Dataset {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
        }
        test.ifPresent(split -> {
            if (split.featureSize() != train.featureSize()) {
                throw new IllegalArgumentException("test and train feature sizes differ: "
                        + split.featureSize() + " vs " + train.featureSize());
            }
        });
    }

    /**
     * The model input width.
     *
     * @return the training split's feature size
     */
    public int inputSize() {
        return train.featureSize();
    }
}

package org.backproplab.spi;

import ai.djl.ndarray.types.Shape;
import java.util.List;
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
 * @param classNames for classification, the name of each class by index (shown in confusion
 *     matrices); empty when the classes have no names
 */
public record Dataset(Task task, int outputSize, ExampleSource train, Optional<ExampleSource> test, List<String> classNames) {

    /**
     * Checks that the splits agree.
     *
     * @param task what the targets mean
     * @param outputSize the model output width
     * @param train the training split
     * @param test the test split, or empty
     * @param classNames the class names, or empty
     * @throws IllegalArgumentException when {@code outputSize} is not positive, the test split's
     *     feature shape or target size differs from the training split's, or there are class names
     *     but not one per class
     */
    public Dataset {
        if (outputSize <= 0) {
            throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
        }
        test.ifPresent(split -> {
            if (!split.featureShape().equals(train.featureShape()) || split.targetSize() != train.targetSize()) {
                throw new IllegalArgumentException("test and train examples differ: features "
                        + split.featureShape() + " vs " + train.featureShape() + ", targets "
                        + split.targetSize() + " vs " + train.targetSize());
            }
        });
        classNames = List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != (task == Task.BINARY_CLASSIFICATION ? 2 : outputSize)) {
            throw new IllegalArgumentException("one class name per class expected, got " + classNames.size());
        }
    }

    /**
     * A dataset whose classes have no names.
     *
     * @param task what the targets mean
     * @param outputSize the model output width
     * @param train the training split
     * @param test the test split, or empty
     */
    public Dataset(Task task, int outputSize, ExampleSource train, Optional<ExampleSource> test) {
        this(task, outputSize, train, test, List.of());
    }

    /**
     * The shape of one example going into the model.
     *
     * @return the training split's feature shape, e.g. {@code [1, 28, 28]}
     */
    public Shape inputShape() {
        return train.featureShape();
    }

    /**
     * The number of values going into the model per example.
     *
     * @return the training split's feature size
     */
    public int inputSize() {
        return train.featureSize();
    }
}

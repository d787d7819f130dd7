package org.backproplab.spi;

import java.util.List;

/**
 * What the framework tells a metric factory about the dataset.
 *
 * @param task the dataset's task
 * @param outputSize the model's output width (the number of classes for multiclass classification)
 * @param classNames the name of each class, or empty
 */
public record MetricContext(Task task, int outputSize, List<String> classNames) {

    /**
     * The number of classes of a classification task.
     *
     * @return 2 for binary classification, {@code outputSize} for multiclass, 0 for regression
     */
    public int classes() {
        return switch (task) {
            case BINARY_CLASSIFICATION -> 2;
            case MULTICLASS_CLASSIFICATION -> outputSize;
            case REGRESSION -> 0;
        };
    }
}

package org.backproplab.spi;

/** What a dataset asks of a model; decides which evaluation metrics make sense. */
public enum Task {
    /** Real-valued targets; evaluated by loss only. */
    REGRESSION,
    /** One target per example, 0 or 1; evaluated by loss and accuracy. */
    BINARY_CLASSIFICATION,
    /** One class index per example; evaluated by loss and accuracy. */
    MULTICLASS_CLASSIFICATION;

    /**
     * Whether accuracy is defined for this task.
     *
     * @return {@code true} for binary and multiclass classification
     */
    public boolean isClassification() {
        return this != REGRESSION;
    }
}

package org.backproplab.plugins.metrics;

/** How one output's error counts in an error metric. */
enum ElementwiseError {
    /** (y − t)²: the mean squared error. */
    SQUARED("mse", "Mean squared error: the mean over examples of the mean over outputs of (y − t)²"),
    /** |y − t|: the mean absolute error. */
    ABSOLUTE("mae", "Mean absolute error: the mean over examples of the mean over outputs of |y − t|");

    private final String key;
    private final String description;

    ElementwiseError(String key, String description) {
        this.key = key;
        this.description = description;
    }

    String key() {
        return key;
    }

    String description() {
        return description;
    }

    double of(double difference) {
        return this == SQUARED ? difference * difference : Math.abs(difference);
    }
}

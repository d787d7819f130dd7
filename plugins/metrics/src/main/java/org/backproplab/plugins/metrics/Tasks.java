package org.backproplab.plugins.metrics;

import java.util.Locale;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.Task;

/** The checks that a metric fits the dataset's task, with messages that name both. */
final class Tasks {

    private Tasks() {}

    /** The task as the user reads it: {@code regression}, {@code binary_classification}, ... */
    static String describe(Task task) {
        return task.name().toLowerCase(Locale.ROOT);
    }

    /** @throws ComponentException for a regression task */
    static void requireClassification(String metric, MetricContext context) {
        if (!context.task().isClassification()) {
            throw new ComponentException("metric '" + metric + "' needs a classification dataset, but the dataset's task is "
                    + describe(context.task()) + "; for regression use mse or mae");
        }
    }
}

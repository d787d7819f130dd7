package org.backproplab.spi;

/**
 * Makes a {@link Metric} from one entry of the experiment file's {@code metrics:} list.
 *
 * @param <P> the parameter record
 */
public interface MetricFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Builds the metric for one run.
     *
     * @param parameters the entry's parameters, defaults filled in and constraints checked
     * @param context the dataset's task and classes
     * @return the metric
     * @throws ComponentException when the metric does not apply to the task (F1 on a regression, ...)
     */
    Metric create(P parameters, MetricContext context);

    /**
     * Whether the metric is computed, with its default parameters, for an experiment that lists no
     * {@code metrics:} at all.
     *
     * @param task the dataset's task
     * @return {@code false} by default; accuracy says {@code true} for classification
     */
    default boolean enabledByDefault(Task task) {
        return false;
    }
}

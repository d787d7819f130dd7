package org.backproplab.spi;

/**
 * Makes a {@link LossFunction}.
 *
 * @param <P> the parameter record
 */
public interface LossFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Builds the loss for a dataset of the given task.
     *
     * @param parameters the component's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @param task the dataset's task; a loss that does not fit it throws
     * @return the loss and its rule for predicted labels
     *
     * @throws ComponentException when the loss does not apply to the task
     */
    LossFunction create(P parameters, Task task);
}

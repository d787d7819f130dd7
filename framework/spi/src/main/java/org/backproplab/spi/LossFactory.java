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
     * @throws ComponentException when the loss does not apply to the task
     */
    LossFunction create(P parameters, Task task);
}

package org.backproplab.spi;

import ai.djl.training.optimizer.Optimizer;

/**
 * Makes a DJL {@link Optimizer}.
 *
 * @param <P> the parameter record
 */
public interface OptimizerFactory<P extends Record> extends ComponentFactory<P> {

    /** Builds the optimizer; its learning rate is whatever the parameters say. */
    Optimizer create(P parameters);
}

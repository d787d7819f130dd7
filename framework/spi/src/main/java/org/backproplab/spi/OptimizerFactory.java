package org.backproplab.spi;

import ai.djl.training.optimizer.Optimizer;

/**
 * Makes a DJL {@link Optimizer}.
 *
 * @param <P> the parameter record
 */
public interface OptimizerFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Builds the optimizer; its learning rate is whatever the parameters say.
     *
     * @param parameters the component's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @return a new optimizer, used for one run only
     */
    Optimizer create(P parameters);
}

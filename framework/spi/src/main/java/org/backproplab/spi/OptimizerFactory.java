package org.backproplab.spi;

import ai.djl.training.optimizer.Optimizer;

/**
 * Makes a DJL {@link Optimizer}.
 *
 * @param <P> the parameter record
 */
public interface OptimizerFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Builds the optimizer.
     *
     * @param parameters the component's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @param context the run's length in steps and its learning-rate schedule: take the learning
     *     rate from {@link OptimizerContext#learningRate(double)} so the schedule applies and the
     *     rate is logged as {@code train/lr}
     * @return a new optimizer, used for one run only
     */
    Optimizer create(P parameters, OptimizerContext context);
}

package org.backproplab.spi;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Implemented by an optimizer (the DJL {@code Optimizer} an {@link OptimizerFactory} makes) that can update many
 * parameters in one engine call. From the second step on, the training loop then calls {@link #updateAll} once a step
 * with every trained parameter instead of {@code Optimizer.update} once per parameter; the two must give the same
 * weights bit for bit.
 */
public interface FusedUpdate {

    /**
     * Updates each weight with its gradient, exactly as {@code Optimizer.update(parameterIds.get(i), weights.get(i),
     * gradients.get(i))} for each {@code i} in order would, and zeroes the gradients (the loop passes the weights'
     * own, {@code weight.getGradient()}).
     *
     * @param parameterIds the parameters' ids, as {@code Optimizer.update} takes them
     * @param weights the parameters' arrays, updated in place
     * @param gradients their gradients, in the same order
     */
    void updateAll(List<String> parameterIds, List<NDArray> weights, List<NDArray> gradients);
}

package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;
import org.backproplab.spi.FusedUpdate;

/** One optimizer update of a list of parameters: in one call where the optimizer fuses them, else one by one. */
public final class OptimizerStep {

    private OptimizerStep() {}

    /**
     * Updates each weight with its gradient.
     *
     * @param optimizer the run's optimizer
     * @param parameterIds the parameters' ids
     * @param weights their arrays
     * @param gradients their gradients, in the same order
     */
    public static void update(Optimizer optimizer, List<String> parameterIds, List<NDArray> weights,
            List<NDArray> gradients) {
        if (optimizer instanceof FusedUpdate fused) {
            fused.updateAll(parameterIds, weights, gradients);
            return;
        }
        for (int i = 0; i < weights.size(); i++) {
            optimizer.update(parameterIds.get(i), weights.get(i), gradients.get(i));
        }
    }
}

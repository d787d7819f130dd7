package org.backproplab.spi;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Optional;

/**
 * Implemented by an optimizer (the DJL {@code Optimizer} an {@link OptimizerFactory} makes) that can update many
 * parameters in one engine call. From the second step on, the training loop then calls {@link #updateAll} once a step
 * with every trained parameter instead of {@code Optimizer.update} once per parameter; the two must give the same
 * weights bit for bit. An optimizer that also writes its update as TorchScript ({@link #updateScript}) is run inside
 * the step's own engine call where the step is scripted and nothing reads the gradients before the update.
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

    /**
     * The update as TorchScript, the same at every step (its values come from {@link #scriptArguments}); empty, the
     * default, when it is not written so.
     *
     * @return the statements and the names they read
     */
    default Optional<UpdateScript> updateScript() {
        return Optional.empty();
    }

    /**
     * This step's values for {@link #updateScript}'s statements, which the loop then runs exactly once with them: a
     * present answer counts the step as {@link #updateAll} would. Empty, counting nothing, where the statements cannot
     * do this step's update (the loop then calls {@link #updateAll}).
     *
     * @param parameterIds the parameters' ids
     * @param weights their arrays, in the same order
     * @return the state lists and floats, in the orders {@link #updateScript} names them
     */
    default Optional<UpdateScript.Arguments> scriptArguments(List<String> parameterIds, List<NDArray> weights) {
        return Optional.empty();
    }
}

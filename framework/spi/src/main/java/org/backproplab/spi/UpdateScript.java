package org.backproplab.spi;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;

/**
 * An optimizer's update written as TorchScript statements ({@link FusedUpdate#updateScript}), which the training loop
 * runs in the same engine call as a scripted step's backward pass ({@link StepScript}): one call a step instead of two,
 * at the steps where nothing reads the gradients between backward and update.
 *
 * <p>The statements read {@code weights} and {@code grads} (the trained parameters and their gradients, as lists in
 * the block's order), one list of arrays per name in {@code stateNames} (the optimizer's state, one array per weight,
 * in the same order) and one float per name in {@code hyperparameterNames}. They update the weights and states in
 * place exactly as {@link FusedUpdate#updateAll} does, but leave the gradients as they are: the step zeroes those its
 * next backward pass adds to, and a backward that writes a gradient over its array needs none (zeroing the
 * 784-256-10 network's gradients took 13 of a step's 800 microseconds). Pass the lists themselves to in-place
 * operators: TorchScript drops an in-place change of a list literal made of their elements.
 *
 * @param statements the update, one statement per line
 * @param stateNames the names of the state lists, in the order of {@link Arguments#states}
 * @param hyperparameterNames the names of the floats, in the order of {@link Arguments#hyperparameters}
 */
public record UpdateScript(String statements, List<String> stateNames, List<String> hyperparameterNames) {

    /**
     * Copies the names.
     *
     * @param statements the update, one statement per line
     * @param stateNames the names of the state lists
     * @param hyperparameterNames the names of the floats
     */
    public UpdateScript {
        Objects.requireNonNull(statements, "statements");
        stateNames = List.copyOf(stateNames);
        hyperparameterNames = List.copyOf(hyperparameterNames);
    }

    /**
     * One step's values of the statements' state lists and floats ({@link FusedUpdate#scriptArguments}).
     *
     * @param states one list per state name, each with one array per weight
     * @param hyperparameters one value per hyperparameter name
     */
    public record Arguments(List<List<NDArray>> states, List<Double> hyperparameters) {

        /**
         * Copies the lists.
         *
         * @param states one list per state name
         * @param hyperparameters one value per hyperparameter name
         */
        public Arguments {
            states = List.copyOf(states);
            hyperparameters = List.copyOf(hyperparameters);
        }
    }
}

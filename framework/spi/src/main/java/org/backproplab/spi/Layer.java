package org.backproplab.spi;

import ai.djl.nn.Parameter;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a network as diagnostics and callbacks see it: a weight parameter (of a linear or
 * convolution block), in block order from the input, with the bias of the same block if it has one.
 *
 * @param name {@code layer_01} for the layer next to the input, zero-padded so charts sort
 * @param parameterName the weight's DJL parameter name, e.g. {@code 01Linear_weight}
 * @param weight the weight parameter; {@code weight.getArray().getGradient()} is its gradient after
 *     the backward pass (a new NDArray the caller must close or attach to a step's manager)
 * @param bias the bias of the same block, when it has one
 */
public record Layer(String name, String parameterName, Parameter weight, Optional<Parameter> bias) {

    /**
     * Checks that nothing is missing.
     *
     * @param name the layer's name
     * @param parameterName the weight's DJL name
     * @param weight the weight parameter
     * @param bias the bias, or empty
     * @throws NullPointerException when a component is null
     */
    public Layer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameterName, "parameterName");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
    }
}

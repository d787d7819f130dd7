package org.backproplab.plugins.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/** The hidden-layer nonlinearities an {@code mlp} offers. */
public enum ActivationFunction {
    SIGMOID,
    TANH,
    RELU,
    LEAKY_RELU,
    SOFTSIGN,
    GELU,
    IDENTITY;

    /** A parameterless block applying this function element-wise. */
    Block block(float leakyReluSlope) {
        return switch (this) {
            case SIGMOID -> Activation.sigmoidBlock();
            case TANH -> Activation.tanhBlock();
            case RELU -> Activation.reluBlock();
            case LEAKY_RELU -> Activation.leakyReluBlock(leakyReluSlope);
            case SOFTSIGN -> Activation.softSignBlock();
            case GELU -> Activation.geluBlock();
            case IDENTITY -> new ai.djl.nn.LambdaBlock(x -> x, "identity");
        };
    }
}

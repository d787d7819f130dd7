package org.backproplab.plugins.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/** The hidden-layer nonlinearities the built-in models offer. */
public enum ActivationFunction {
    SIGMOID,
    TANH,
    RELU,
    LEAKY_RELU,
    /** x for x > 0, α(eˣ − 1) otherwise (Clevert et al. 2016). */
    ELU,
    /** λ·ELU with the fixed α ≈ 1.6733, λ ≈ 1.0507 of self-normalising networks (Klambauer et al. 2017). */
    SELU,
    SOFTSIGN,
    GELU,
    IDENTITY;

    /**
     * A parameterless block applying this function element-wise. The block names are DJL's own
     * ({@code Activation.*Block()}), which the per-layer activation diagnostics recognise.
     */
    Block block(float leakyReluSlope, float eluAlpha) {
        return switch (this) {
            case SIGMOID -> Activation.sigmoidBlock();
            case TANH -> Activation.tanhBlock();
            case RELU -> Activation.reluBlock();
            case LEAKY_RELU -> Activation.leakyReluBlock(leakyReluSlope);
            case ELU -> Activation.eluBlock(eluAlpha);
            case SELU -> Activation.seluBlock();
            case SOFTSIGN -> Activation.softSignBlock();
            case GELU -> Activation.geluBlock();
            case IDENTITY -> new LambdaBlock(x -> x, "identity");
        };
    }
}

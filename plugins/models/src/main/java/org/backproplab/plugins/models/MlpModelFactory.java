package org.backproplab.plugins.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.util.Collections;
import java.util.List;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Param;

/**
 * A fully connected network: Linear → [batch norm] → activation → [dropout] for each hidden layer,
 * optionally with a skip connection around each hidden layer after the first, then a Linear output
 * layer sized by the dataset, optionally followed by a sigmoid (for a squared-error loss on 0/1
 * targets). Inputs of more than one dimension (images) are flattened first.
 */
public final class MlpModelFactory implements ModelFactory<MlpModelFactory.Parameters> {

    /** What follows the output layer. */
    public enum OutputActivation {
        NONE,
        SIGMOID
    }

    /** The parameters of {@code mlp}: the shape is {@code hidden}, or {@code depth} layers of {@code width}. */
    public record Parameters(
            @Param(value = "hidden layer widths from input to output, e.g. [256]; or give depth and width", defaultValue = Param.NONE)
                    List<@Positive Integer> hidden,
            @Param(value = "number of hidden layers, each of width units (instead of hidden)", defaultValue = Param.NONE)
                    @Positive @Max(1000) Integer depth,
            @Param(value = "units per hidden layer when depth is given", defaultValue = Param.NONE) @Positive Integer width,
            @Param(value = "hidden-layer activation", defaultValue = "relu") ActivationFunction activation,
            @Param(value = "weight initialisation; default is He normal, LeCun normal for selu", defaultValue = "default")
                    WeightInitialization init,
            @Param(value = "standard deviation for init: normal", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double std,
            @Param(value = "negative slope of leaky_relu", defaultValue = "0.01") @DecimalMin("0") double leakyReluSlope,
            @Param(value = "alpha of elu: the value it tends to for very negative inputs is -alpha", defaultValue = "1.0")
                    @DecimalMin(value = "0", inclusive = false) double eluAlpha,
            @Param(value = "batch normalisation after each hidden Linear, before its activation", defaultValue = "false")
                    boolean batchNorm,
            @Param(value = "dropout rate after each hidden activation (0: none); off in evaluation", defaultValue = "0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double dropout,
            @Param(value = "skip connections x + f(x) around each hidden layer after the first; needs equal widths", defaultValue = "false")
                    boolean residual,
            @Param(value = "activation after the output layer", defaultValue = "none") OutputActivation outputActivation) {

        /** Exactly one way of giving the shape, so a sweep over depth cannot be silently ignored. */
        @AssertTrue(message = "give either hidden: [..] or both depth and width, not both")
        public boolean isShapeGivenOnce() {
            boolean byList = hidden != null;
            boolean byDepth = depth != null || width != null;
            return byList != byDepth && (byList || (depth != null && width != null));
        }

        /** x + f(x) needs f(x) as wide as x. */
        @AssertTrue(message = "residual: true needs every hidden layer as wide as the one before it (x + f(x)); "
                + "the first, from the input, may differ")
        public boolean isResidualShapeValid() {
            return !residual || !isShapeGivenOnce() || residualMismatch() < 0;
        }

        /** The hidden widths, whichever way they were given. */
        public List<Integer> hiddenWidths() {
            return hidden != null ? hidden : Collections.nCopies(depth, width);
        }

        /** The first hidden layer (from 0) narrower or wider than the one before it, or -1. */
        int residualMismatch() {
            List<Integer> widths = hiddenWidths();
            for (int i = 1; i < widths.size(); i++) {
                if (!widths.get(i).equals(widths.get(i - 1))) {
                    return i;
                }
            }
            return -1;
        }
    }

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "Multilayer perceptron: hidden Linear layers with one activation, optional batch norm, dropout and "
                + "residual connections, then a Linear output layer; flattens image inputs.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Block create(Parameters parameters, ModelContext context) {
        List<Integer> widths = parameters.hiddenWidths();
        if (parameters.residual() && parameters.residualMismatch() >= 0) {
            int layer = parameters.residualMismatch();
            throw new ComponentException("model mlp: residual: true needs equal hidden widths, but hidden layer "
                    + (layer + 1) + " has " + widths.get(layer) + " units after " + widths.get(layer - 1) + " (hidden " + widths + ")");
        }
        boolean flatten = context.inputShape().dimension() > 1;
        SequentialBlock network = new ScriptedSequentialBlock(MlpScript.of(parameters, flatten));
        if (flatten) {
            network.add(Blocks.batchFlattenBlock());
        }
        for (int i = 0; i < widths.size(); i++) {
            Layers.Hidden hidden = new Layers.Hidden(
                    Layers.activation(parameters.activation(), parameters.leakyReluSlope(), parameters.eluAlpha()),
                    parameters.batchNorm(), parameters.dropout());
            List<Block> layer = Layers.dense(widths.get(i), hidden);
            // The first layer projects the input to the hidden width, so it has no identity to add.
            if (parameters.residual() && i > 0) {
                network.add(Layers.residual(layer));
            } else {
                network.addAll(layer);
            }
        }
        network.add(Linear.builder().setUnits(context.outputSize()).build());
        if (parameters.outputActivation() == OutputActivation.SIGMOID) {
            network.add(Activation.sigmoidBlock());
        }
        Layers.initialise(network, parameters.init(), parameters.std(), parameters.activation());
        return network;
    }
}

package org.backproplab.plugins.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.util.Collections;
import java.util.List;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Param;

/**
 * A fully connected network: Linear → activation for each hidden layer, then a Linear output layer
 * sized by the dataset, optionally followed by a sigmoid (for a squared-error loss on 0/1 targets).
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
            @Param(value = "weight initialisation", defaultValue = "default") WeightInitialization init,
            @Param(value = "standard deviation for init: normal", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double std,
            @Param(value = "negative slope of leaky_relu", defaultValue = "0.01") @DecimalMin("0") double leakyReluSlope,
            @Param(value = "activation after the output layer", defaultValue = "none") OutputActivation outputActivation) {

        /** Exactly one way of giving the shape, so a sweep over depth cannot be silently ignored. */
        @AssertTrue(message = "give either hidden: [..] or both depth and width, not both")
        public boolean isShapeGivenOnce() {
            boolean byList = hidden != null;
            boolean byDepth = depth != null || width != null;
            return byList != byDepth && (byList || (depth != null && width != null));
        }

        /** The hidden widths, whichever way they were given. */
        public List<Integer> hiddenWidths() {
            return hidden != null ? hidden : Collections.nCopies(depth, width);
        }
    }

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "Multilayer perceptron: hidden Linear layers with one activation, then a Linear output layer.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Block create(Parameters parameters, ModelContext context) {
        SequentialBlock network = new SequentialBlock();
        for (int width : parameters.hiddenWidths()) {
            network.add(Linear.builder().setUnits(width).build());
            network.add(parameters.activation().block((float) parameters.leakyReluSlope()));
        }
        network.add(Linear.builder().setUnits(context.outputSize()).build());
        if (parameters.outputActivation() == OutputActivation.SIGMOID) {
            network.add(Activation.sigmoidBlock());
        }
        Initializer initializer = parameters.init().initializer(parameters.std());
        if (initializer != null) {
            network.setInitializer(initializer, Parameter.Type.WEIGHT);
        }
        return network;
    }
}

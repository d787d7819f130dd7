package org.backproplab.plugins.example;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Param;

/**
 * A fully connected network with the swish activation x·σ(βx) (Ramachandran et al., 2017) after
 * each hidden layer: smooth, non-monotonic, and the identity's slope ½ at zero whatever β. The
 * output layer is linear, optionally followed by a sigmoid.
 */
public final class SwishMlpModelFactory implements ModelFactory<SwishMlpModelFactory.Parameters> {

    /**
     * The parameters of {@code swish-mlp}.
     *
     * @param hidden the hidden layers' widths, from input to output
     * @param beta the swish slope β
     * @param outputSigmoid whether a sigmoid follows the output layer
     * @param straightThrough whether the activation's backward pass is the identity's (a straight-through
     *     estimator, as for quantised networks): training still works, but the gradient is not the forward
     *     pass's derivative, which {@code ./lab gradcheck} reports layer by layer
     */
    public record Parameters(
            @Param(value = "hidden layer widths from input to output", defaultValue = "[16, 16]")
                    @NotEmpty List<@Positive Integer> hidden,
            @Param(value = "the slope beta of swish(x) = x * sigmoid(beta * x)", defaultValue = "1.0")
                    @DecimalMin(value = "0", inclusive = false) double beta,
            @Param(value = "end with a sigmoid, for a probability output", defaultValue = "false") boolean outputSigmoid,
            @Param(value = "backward pass of swish as the identity's (straight-through estimator): ./lab gradcheck"
                    + " flags it", defaultValue = "false") boolean straightThrough) {}

    @Override
    public String name() {
        return "swish-mlp";
    }

    @Override
    public String description() {
        return "Multilayer perceptron with the swish activation x * sigmoid(beta * x) after each hidden layer.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Block create(Parameters parameters, ModelContext context) {
        SequentialBlock network = new SequentialBlock();
        for (int width : parameters.hidden()) {
            network.add(Linear.builder().setUnits(width).build());
            network.add(swish((float) parameters.beta(), parameters.straightThrough()));
        }
        network.add(Linear.builder().setUnits(context.outputSize()).build());
        if (parameters.outputSigmoid()) {
            network.add(Activation.sigmoidBlock());
        }
        return network;
    }

    /**
     * swish(x) = x·σ(βx), element-wise, as a parameterless block; straight-through, its forward value with the
     * identity's gradient: x + (swish(x) − x) with the bracket detached from autograd.
     */
    static Block swish(float beta, boolean straightThrough) {
        return new LambdaBlock(inputs -> {
            NDArray x = inputs.singletonOrThrow();
            // β as an array of x's manager, alive until the backward pass: DJL's mul(Number) on PyTorch wraps
            // the number in a temporary array and frees it at once, though autograd reads it again later.
            NDArray betaArray = x.getManager().create(beta);
            NDArray swish = x.mul(Activation.sigmoid(x.mul(betaArray)));
            return new NDList(straightThrough ? x.add(swish.sub(x).stopGradient()) : swish);
        }, "swish");
    }
}

package org.backproplab.plugins.example;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import jakarta.validation.constraints.DecimalMin;
import java.util.Locale;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/**
 * The Huber loss: ½e² for an error |e| ≤ δ and δ(|e| − ½δ) beyond, summed over the outputs and
 * averaged over the batch. Quadratic near the target like squared error, linear far from it like
 * absolute error, so outliers pull less. For regression, and for binary classification on outputs
 * read as probabilities (a label is predicted 1 above ½).
 */
public final class HuberLossFactory implements LossFactory<HuberLossFactory.Parameters> {

    /**
     * The parameters of {@code huber}.
     *
     * @param delta the error at which the loss turns from quadratic to linear
     */
    public record Parameters(
            @Param(value = "the error at which the loss turns from quadratic to linear", defaultValue = "1.0")
                    @DecimalMin(value = "0", inclusive = false) double delta) {}

    @Override
    public String name() {
        return "huber";
    }

    @Override
    public String description() {
        return "Huber loss: quadratic for errors up to delta, linear beyond; for regression and binary classification.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public LossFunction create(Parameters parameters, Task task) {
        if (task == Task.MULTICLASS_CLASSIFICATION) {
            throw new ComponentException("loss huber needs a regression or binary classification dataset, this one is "
                    + task.name().toLowerCase(Locale.ROOT) + "; use softmax_cross_entropy");
        }
        return LossFunction.of(new HuberLoss((float) parameters.delta()),
                output -> output.gt(0.5f).toType(output.getDataType(), false));
    }

    /** Huber loss with threshold δ on DJL arrays; differentiable everywhere, so autograd handles it. */
    static final class HuberLoss extends Loss {

        private final float delta;

        HuberLoss(float delta) {
            super("huber");
            this.delta = delta;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray prediction = predictions.singletonOrThrow();
            NDArray error = prediction.sub(labels.singletonOrThrow().reshape(prediction.getShape())).abs();
            // min(|e|, δ) carries the quadratic part; what is beyond δ grows linearly. clip takes its bounds
            // as plain numbers: DJL's minimum(Number) on PyTorch wraps δ in a temporary array that it closes
            // at once, while the backward pass still reads it (results then vary from run to run).
            NDArray quadratic = error.clip(0f, delta);
            // Constants on the gradient's path live as long as the batch, not one call.
            NDManager manager = prediction.getManager();
            NDArray half = manager.create(0.5f);
            NDArray slope = manager.create(delta);
            NDArray perValue = quadratic.mul(quadratic).mul(half).add(error.sub(quadratic).mul(slope));
            NDArray perExample = perValue.getShape().dimension() > 1
                    ? perValue.reshape(perValue.getShape().get(0), -1).sum(new int[] {1})
                    : perValue;
            return perExample.mean();
        }
    }
}

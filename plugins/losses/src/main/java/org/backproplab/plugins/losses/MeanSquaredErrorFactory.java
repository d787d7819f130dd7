package org.backproplab.plugins.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/**
 * Squared error. By default ½‖y − t‖² per example, averaged over the batch: the convention of the
 * seeds' derivations, whose output delta is exactly (y − t)·σ′(z). {@code half: false} drops the ½
 * (seed 000's dw = 2(ŷ − y)x); {@code reduction: sum} sums over the batch as seed 002's numpy loop does.
 */
public final class MeanSquaredErrorFactory implements LossFactory<MeanSquaredErrorFactory.Parameters> {

    /** How per-example losses become the batch loss. */
    public enum Reduction {
        MEAN,
        SUM
    }

    /** The parameters of {@code mse}. */
    public record Parameters(
            @Param(value = "multiply the squared error by ½, so its gradient is (y − t)", defaultValue = "true") boolean half,
            @Param(value = "mean or sum of the per-example losses over the batch", defaultValue = "mean") Reduction reduction) {}

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public String description() {
        return "Squared error, ½‖y − t‖² per example (half: false drops the ½), averaged (or summed) over the batch.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public LossFunction create(Parameters parameters, Task task) {
        Loss loss = new SquaredErrorLoss(parameters.half() ? 0.5f : 1f, parameters.reduction() == Reduction.SUM);
        // Outputs live in target space: 0/1 targets are predicted by the nearer one.
        return LossFunction.of(loss, output -> task == Task.MULTICLASS_CLASSIFICATION
                ? output.argMax(1)
                : output.gt(0.5f).toType(output.getDataType(), false));
    }

    /** ½ or 1 times the squared error summed over outputs, then averaged or summed over the batch. */
    static final class SquaredErrorLoss extends Loss {

        private final float factor;
        private final boolean sumOverBatch;

        SquaredErrorLoss(float factor, boolean sumOverBatch) {
            super("mse");
            this.factor = factor;
            this.sumOverBatch = sumOverBatch;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray prediction = predictions.singletonOrThrow();
            NDArray target = labels.singletonOrThrow().reshape(prediction.getShape());
            // The factor is an array of the batch's manager, not a Number: DJL's PyTorch engine frees the
            // temporary it makes for mul(Number) before backward reads it again.
            NDArray perExample = prediction.sub(target).square().mul(prediction.getManager().create(factor));
            if (perExample.getShape().dimension() > 1) {
                perExample = perExample.reshape(perExample.getShape().get(0), -1).sum(new int[] {1});
            }
            return sumOverBatch ? perExample.sum() : perExample.mean();
        }
    }
}

package org.backproplab.plugins.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Param;
import org.backproplab.spi.StepScript;
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
                : output.gt(0.5f).toType(output.getDataType(), false),
                script(parameters.half() ? 0.5f : 1f, parameters.reduction() == Reduction.SUM));
    }

    /**
     * What {@link SquaredErrorLoss} computes, and the backward pass autograd runs through it: the reduction's gradient
     * (1, or 1/batch for the mean) broadcast over each example's outputs, times the factor, times 2(y - t) (the
     * gradient of {@code square}, which is {@code pow(d, 2)}).
     */
    static StepScript script(float factor, boolean sumOverBatch) {
        String f = Double.toString(factor); // the float as the double DJL's array of it holds
        String forward = """
                loss_diff = torch.sub(output, torch.reshape(target, torch.size(output)))
                loss_scaled = torch.mul(torch.pow(loss_diff, 2), %s)
                loss_rows = torch.reshape(loss_scaled, [torch.size(loss_scaled, 0), -1])
                loss_per_example = torch.sum(loss_rows, [1])
                loss = torch.%s(loss_per_example)
                """.formatted(f, sumOverBatch ? "sum" : "mean");
        String reduction = sumOverBatch ? "torch.ones_like(loss_per_example)"
                : "torch.div(torch.ones_like(loss_per_example), torch.numel(loss_per_example))";
        String backward = """
                loss_grad_per_example = %s
                loss_grad_rows = torch.mul(torch.expand_as(torch.reshape(loss_grad_per_example, [-1, 1]), loss_rows), %s)
                grad_output = torch.mul(torch.reshape(loss_grad_rows, torch.size(loss_scaled)), torch.mul(loss_diff, 2))
                """.formatted(reduction, f);
        return new StepScript(forward, backward);
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

package org.backproplab.plugins.losses;

import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.StepScript;
import org.backproplab.spi.Task;

/** Softmax cross-entropy on logits against class indices, averaged over the batch. */
public final class SoftmaxCrossEntropyFactory implements LossFactory<NoParameters> {

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    @Override
    public String description() {
        return "Softmax cross-entropy on logits against class indices (multiclass classification).";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public LossFunction create(NoParameters parameters, Task task) {
        if (task != Task.MULTICLASS_CLASSIFICATION) {
            throw new ComponentException("loss softmax_cross_entropy needs a multiclass classification dataset, this one is "
                    + task.name().toLowerCase(java.util.Locale.ROOT) + "; use mse or binary_cross_entropy");
        }
        // sparse labels (class indices), inputs are logits: the softmax is applied inside the loss.
        Loss loss = new SoftmaxCrossEntropyLoss("softmax_cross_entropy", 1f, -1, true, true);
        return LossFunction.of(loss, output -> output.argMax(1), SCRIPT);
    }

    /**
     * What DJL's {@link SoftmaxCrossEntropyLoss} computes (log-softmax, pick the target's entry, negate, mean), and the
     * backward pass autograd runs through those operators, last to first. Autograd's gradient of the picked entries,
     * -(1/n) in floats, is scattered as one value: the double -1/n rounds to that same float (a double holds more than
     * twice a float's digits, so rounding twice gives the quotient's float), and scattering into zeros adds nothing;
     * two operators instead of five, each a few microseconds of the interpreter's.
     */
    static final StepScript SCRIPT = new StepScript("""
            loss_log_p = torch.log_softmax(output, -1)
            loss_index = torch.to(torch.reshape(target, [-1, 1]), 4)
            loss_picked = torch.gather(loss_log_p, 1, loss_index)
            loss = torch.mean(torch.neg(loss_picked))
            """, """
            loss_grad_log_p = torch.scatter(torch.zeros_like(loss_log_p), 1, loss_index, -1.0 / torch.numel(loss_picked))
            grad_output = torch._log_softmax_backward_data(loss_grad_log_p, loss_log_p, -1, 6)
            """);
}

package org.backproplab.plugins.losses;

import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.NoParameters;
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
        return LossFunction.of(loss, output -> output.argMax(1));
    }
}

package org.backproplab.plugins.losses;

import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;

/** Binary cross-entropy on logits (the sigmoid is applied inside, stably), averaged over the batch. */
public final class BinaryCrossEntropyFactory implements LossFactory<NoParameters> {

    @Override
    public String name() {
        return "binary_cross_entropy";
    }

    @Override
    public String description() {
        return "Binary cross-entropy on logits against 0/1 targets; the model must not end in a sigmoid.";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public LossFunction create(NoParameters parameters, Task task) {
        if (task != Task.BINARY_CLASSIFICATION) {
            throw new ComponentException("loss binary_cross_entropy needs a binary classification dataset, this one is "
                    + task.name().toLowerCase(java.util.Locale.ROOT));
        }
        Loss loss = new SigmoidBinaryCrossEntropyLoss("binary_cross_entropy", 1f, false);
        // A logit above 0 is a probability above ½.
        return LossFunction.of(loss, output -> output.gt(0f).toType(output.getDataType(), false));
    }
}

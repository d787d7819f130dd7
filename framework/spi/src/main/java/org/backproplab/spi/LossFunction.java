package org.backproplab.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;

/**
 * A training objective: the DJL loss plus how its model outputs turn into predicted labels, which
 * only the loss knows (probabilities against 0.5, logits against 0, argmax over classes).
 */
public interface LossFunction {

    /** The DJL loss, averaged or summed over the batch to a scalar. */
    Loss loss();

    /**
     * Predicted labels in the dataset's target encoding, for accuracy: 0/1 for binary
     * classification, the class index for multiclass classification. Called only for
     * classification tasks; the returned array must have as many rows as {@code output}.
     */
    NDArray predictLabels(NDArray output);

    /** A loss function from a DJL loss and its output-to-label rule. */
    static LossFunction of(Loss loss, java.util.function.UnaryOperator<NDArray> predictLabels) {
        return new LossFunction() {
            @Override
            public Loss loss() {
                return loss;
            }

            @Override
            public NDArray predictLabels(NDArray output) {
                return predictLabels.apply(output);
            }
        };
    }
}

package org.backproplab.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A training objective: the DJL loss plus how its model outputs turn into predicted labels, which
 * only the loss knows (probabilities against 0.5, logits against 0, argmax over classes).
 */
public interface LossFunction {

    /**
     * The DJL loss the model is trained and evaluated with.
     *
     * @return a loss that reduces a batch to a scalar (its mean or sum over the examples)
     */
    Loss loss();

    /**
     * Predicted labels in the dataset's target encoding, for accuracy: 0/1 for binary
     * classification, the class index for multiclass classification. Called only for
     * classification tasks; the returned array must have as many rows as {@code output}.
     *
     * @param output the model's output for a batch, one row per example
     * @return the predicted label of each example
     */
    NDArray predictLabels(NDArray output);

    /**
     * The loss's forward and backward pass as TorchScript, for the training loop to run a step in one engine call (see
     * {@link StepScript}).
     *
     * @return the statements, or empty (the default) to train with DJL's loss and autograd
     */
    default Optional<StepScript> stepScript() {
        return Optional.empty();
    }

    /**
     * A loss function from a DJL loss and its output-to-label rule.
     *
     * @param loss the DJL loss
     * @param predictLabels turns a batch of model outputs into predicted labels, as {@link #predictLabels}
     * @return the loss function
     */
    static LossFunction of(Loss loss, UnaryOperator<NDArray> predictLabels) {
        return of(loss, predictLabels, null);
    }

    /**
     * A loss function from a DJL loss, its output-to-label rule and the same loss as TorchScript.
     *
     * @param loss the DJL loss
     * @param predictLabels turns a batch of model outputs into predicted labels, as {@link #predictLabels}
     * @param script {@code loss} as TorchScript, as {@link #stepScript}; null for none
     * @return the loss function
     */
    static LossFunction of(Loss loss, UnaryOperator<NDArray> predictLabels, StepScript script) {
        return new LossFunction() {
            @Override
            public Optional<StepScript> stepScript() {
                return Optional.ofNullable(script);
            }

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

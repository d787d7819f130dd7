package org.backproplab.spi;

import java.util.Map;

/**
 * Hooks into the training loop, made by a {@link CallbackFactory} for the experiment file's
 * {@code callbacks: [...]} list. Every method does nothing by default; override those you need.
 *
 * <p>Hooks run on the training thread, in the order the callbacks are listed, after the built-in
 * ones (diagnostics, early stopping, the console). Keep per-step work cheap, or do it only when
 * {@link Training#isLogStep()} says so: every step of every run pays for it. An exception thrown
 * by a hook ends the run FAILED with its message.
 */
public interface Callback {

    /**
     * Training is about to take its first step; the model is initialised.
     *
     * @param training the run
     */
    default void onTrainStart(Training training) {}

    /**
     * The backward pass of a step is done and the optimizer has not yet updated the parameters:
     * each layer's gradient can be read.
     *
     * @param training the run, {@link Training#step()} being this step
     * @param step the batch, output and loss of the step
     */
    default void beforeUpdate(Training training, Step step) {}

    /**
     * Whether {@link #beforeUpdate} reads, at this step, the gradients or the weights as they are before the update;
     * asked only of callbacks that override it, and by default true at every step. At a step where no callback reads
     * them, nor does gradient clipping or a logged gradient norm, the loop may update the weights in the same engine
     * call as the backward pass ({@link FusedUpdate#updateScript}): {@link #beforeUpdate} is then called after the
     * update. Answer false at the steps you skip, to let those steps run at that speed.
     *
     * @param training the run, {@link Training#step()} being this step
     * @return whether this step's {@link #beforeUpdate} reads gradients or weights
     */
    default boolean readsBeforeUpdate(Training training) {
        return true;
    }

    /**
     * The optimizer has updated the parameters with the step's gradients.
     *
     * @param training the run
     * @param step the batch, output and loss of the step
     */
    default void afterUpdate(Training training, Step step) {}

    /**
     * The test split was evaluated.
     *
     * @param training the run
     * @param metrics what the evaluation measured, e.g. {@code "eval/loss"}, {@code "eval/accuracy"}
     */
    default void onEvaluation(Training training, Map<String, Double> metrics) {}

    /**
     * An epoch ended.
     *
     * @param training the run, {@link Training#epoch()} being the epoch that ended
     * @param seconds the epoch's wall time
     */
    default void onEpochEnd(Training training, double seconds) {}

    /**
     * Training ended, completed or not. Artifacts and metrics recorded here are still logged.
     *
     * @param training the run
     * @param outcome how it ended, e.g. {@code "completed"}, {@code "diverged at step 12"}
     */
    default void onTrainEnd(Training training, String outcome) {}
}

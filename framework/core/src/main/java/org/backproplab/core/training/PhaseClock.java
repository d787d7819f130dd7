package org.backproplab.core.training;

/**
 * A timing seam in the training loop: the loop calls {@link #phaseEnded} as each phase of a step ends, so a
 * benchmark can time the phases of the very loop every run uses. The default, {@link #NONE}, does nothing.
 */
public interface PhaseClock {

    /** The phases of one optimizer step, in the order the loop runs them. */
    enum Phase {
        /** The batch's arrays made (or taken from the prefetcher) and the step's manager opened. */
        BATCH,
        /**
         * The model's forward pass; where the model and the loss are written as TorchScript, from the second step on,
         * the forward pass, the loss and the backward pass in one call (no LOSS or BACKWARD phase then).
         */
        FORWARD,
        /** The loss of the batch. */
        LOSS,
        /** The backward pass. */
        BACKWARD,
        /** Callbacks before and after the update (the diagnostics among them) and gradient clipping. */
        DIAGNOSTICS,
        /** The optimizer's update of every parameter. */
        OPTIMIZER,
        /** The test split's evaluation, on logging steps. */
        EVALUATION,
        /** The running loss, the divergence check, metrics, and closing the step's arrays. */
        BOOKKEEPING
    }

    /** A clock that measures nothing. */
    PhaseClock NONE = phase -> {};

    /**
     * {@code phase} of the current step has just ended; the time since the previous call (or since the step
     * began) was spent in it.
     */
    void phaseEnded(Phase phase);

    /** A step is about to start: the time since the last phase ended belongs to no phase. */
    default void stepStarted() {}
}

package org.backproplab.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One optimizer step as a {@link Callback} sees it: the batch, the model's output, the loss, and a
 * manager for temporaries that is closed when the step ends.
 *
 * <p>Every array here belongs to the step and is freed when it ends: copy out what must outlive it
 * (as Java values). Arrays a callback makes should be created in, or attached to, {@link #manager()}.
 */
public interface Step {

    /**
     * The step's number.
     *
     * @return 1 for the first optimizer step of the run
     */
    long number();

    /**
     * The batch's inputs.
     *
     * @return shape {@code (batch, featureShape...)}
     */
    NDArray inputs();

    /**
     * The batch's targets.
     *
     * @return shape {@code (batch, targetSize)}
     */
    NDArray targets();

    /**
     * The model's output for the batch, from the forward pass that was differentiated.
     *
     * @return shape {@code (batch, outputSize)}
     */
    NDArray output();

    /**
     * The loss of the batch.
     *
     * @return a scalar array
     */
    NDArray loss();

    /**
     * The loss of the batch as a number, read from the engine once per step however often it is asked.
     *
     * @return the loss; NaN or infinite when training diverged
     */
    float lossValue();

    /**
     * Where temporaries of this step belong; closed, with everything in it, when the step ends.
     *
     * @return the step's manager
     */
    NDManager manager();
}

package org.backproplab.spi;

import java.util.Optional;

/**
 * Implemented by a model's block (what a {@link ModelFactory} makes) whose forward and backward pass can be written as
 * TorchScript, for the training loop to run a step in one engine call; see {@link StepScript} for what the statements
 * read and assign.
 */
public interface ScriptedModel {

    /**
     * The block's forward and backward pass as TorchScript, if this instance can be written so (a model may offer it
     * for some of its settings only).
     *
     * @return the statements, or empty to train with DJL's forward and autograd
     */
    Optional<StepScript> stepScript();
}

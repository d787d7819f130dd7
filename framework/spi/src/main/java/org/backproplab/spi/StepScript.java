package org.backproplab.spi;

import java.util.Objects;

/**
 * A model's or a loss's part of a training step written out as TorchScript statements, one per line (a block within
 * a part, {@code if} or {@code for}, indented as in Python), so that the
 * training loop can run the forward pass, the loss and the backward pass of a step in one engine call: without one
 * call per operation from Java and without recording autograd's graph. The statements must compute exactly what the
 * DJL block or loss computes, with the very operators autograd would run backwards, so that the gradients are the
 * same bit for bit (the built-in models and losses test this); the loop runs DJL's own forward and backward when a
 * part is missing.
 *
 * <p>Names the parts share: a model's {@link #forward} reads {@code input} (the batch, as the block receives it) and
 * its parameters {@code p0}, {@code p1}, … (in {@code Block.getParameters()} order) and assigns {@code output}; a
 * loss's {@link #forward} reads {@code output} and {@code target} (the batch's targets) and assigns the scalar {@code
 * loss}, its {@link #backward} assigns {@code grad_output} (∂loss/∂output); a model's {@link #backward} reads {@code
 * grad_output} and assigns {@code grad_p0}, {@code grad_p1}, … for every trained parameter (one that requires a
 * gradient; batch norm's running statistics do not). A model's {@link #evaluation} is its forward pass outside
 * training, which is the training one unless the block behaves otherwise there (batch norm's running statistics).
 * A loss names its other values starting with {@code loss_}, a model never does.
 *
 * <p>The loop adds each {@code grad_pN} to the parameter's gradient array, as autograd accumulates. A model's backward
 * may instead write a gradient into that array itself, with an {@code out=into_pN} argument (e.g. {@code grad_p0 =
 * torch.mm(a, b, out=into_p0)}): {@code into_pN} is the array, and the loop adds nothing to a gradient so written. That
 * spares a pass over every weight; it gives autograd's result because each optimizer zeroes the gradients in its
 * update (the only difference: a gradient of -0.0 stays -0.0, where adding it to zero gives +0.0).
 *
 * @param forward statements of the forward pass in training
 * @param backward statements of the backward pass, after every part's forward
 * @param evaluation statements of the forward pass outside training (a loss's: its forward)
 */
public record StepScript(String forward, String backward, String evaluation) {

    /**
     * Checks that every part is given.
     *
     * @param forward statements of the forward pass in training
     * @param backward statements of the backward pass
     * @param evaluation statements of the forward pass outside training
     */
    public StepScript {
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /**
     * Parts whose forward pass is the same in training and outside it.
     *
     * @param forward statements of the forward pass
     * @param backward statements of the backward pass
     */
    public StepScript(String forward, String backward) {
        this(forward, backward, forward);
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;

/**
 * Clips every gradient element to [−c, c] before another optimizer sees it. DJL 0.35's PyTorch SGD
 * update clips only from above with its own {@code clipGrad} (a −0.0019 gradient passed a 0.001
 * clip), so the clipping is done here, on the gradient, where it is plain to see.
 */
final class ClippedGradients extends Optimizer {

    private final Optimizer delegate;
    private final float limit;

    ClippedGradients(Optimizer delegate, float limit) {
        super(new Builder());
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        try (NDArray clipped = grad.clip(-limit, limit)) {
            delegate.update(parameterId, weight, clipped);
        }
    }

    /** The base class insists on a builder; this one sets nothing, the delegate has its own settings. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}

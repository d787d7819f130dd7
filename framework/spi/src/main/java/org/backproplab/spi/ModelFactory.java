package org.backproplab.spi;

import ai.djl.nn.Block;

/**
 * Makes an uninitialised DJL {@link Block}; the framework initialises it with the input shape.
 *
 * <p>Per-layer diagnostics treat every parameter named {@code *weight}, in block order, as one
 * layer, so a model needs nothing extra to get {@code grad_norm/layer_01}, ...
 *
 * @param <P> the parameter record
 */
public interface ModelFactory<P extends Record> extends ComponentFactory<P> {

    /** Builds the network; its weights are initialised by the framework afterwards. */
    Block create(P parameters, ModelContext context);
}

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

    /**
     * Builds the network; its weights are initialised by the framework afterwards.
     *
     * @param parameters the component's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @param context the input and output widths the dataset dictates, and its task
     * @return an uninitialised block mapping {@code (batch, inputShape...)} to {@code (batch, outputSize)}
     * @throws ComponentException when the parameters cannot make a network for this dataset
     */
    Block create(P parameters, ModelContext context);
}

package org.backproplab.plugins.models;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Param;

/** One linear layer y = Wx + b: the model of seeds 000 and 003. */
public final class LinearModelFactory implements ModelFactory<LinearModelFactory.Parameters> {

    /** The parameters of {@code linear}. */
    public record Parameters(@Param(value = "learn a bias b", defaultValue = "true") boolean bias) {}

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "A single linear layer y = Wx + b.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Block create(Parameters parameters, ModelContext context) {
        return Linear.builder().setUnits(context.outputSize()).optBias(parameters.bias()).build();
    }
}

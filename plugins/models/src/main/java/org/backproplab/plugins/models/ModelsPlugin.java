package org.backproplab.plugins.models;

import java.util.List;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Plugin;

/** The built-in models: a multilayer perceptron, a convolutional network and a single linear layer. */
public final class ModelsPlugin implements Plugin {

    @Override
    public List<ModelFactory<?>> models() {
        return List.of(new MlpModelFactory(), new CnnModelFactory(), new LinearModelFactory());
    }
}

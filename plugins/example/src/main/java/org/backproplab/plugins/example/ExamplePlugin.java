package org.backproplab.plugins.example;

import java.util.List;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Plugin;

/**
 * An example plugin, written against the SPI only: a two-moons dataset, the Huber loss and an MLP
 * with the swish activation. Registered in {@code META-INF/services/org.backproplab.spi.Plugin}.
 */
public final class ExamplePlugin implements Plugin {

    @Override
    public List<DatasetFactory<?>> datasets() {
        return List.of(new TwoMoonsDatasetFactory());
    }

    @Override
    public List<ModelFactory<?>> models() {
        return List.of(new SwishMlpModelFactory());
    }

    @Override
    public List<LossFactory<?>> losses() {
        return List.of(new HuberLossFactory());
    }
}

package org.backproplab.plugins.example;

import java.util.List;
import org.backproplab.spi.CallbackFactory;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Plugin;

/**
 * An example plugin, written against the SPI only: a two-moons dataset, the Huber loss, an MLP
 * with the swish activation, the Brier score metric and a callback that stops at a target loss. Registered in {@code META-INF/services/org.backproplab.spi.Plugin}.
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

    @Override
    public List<MetricFactory<?>> metrics() {
        return List.of(new BrierScoreMetricFactory());
    }

    @Override
    public List<CallbackFactory<?>> callbacks() {
        return List.of(new StopAtLossCallbackFactory());
    }
}

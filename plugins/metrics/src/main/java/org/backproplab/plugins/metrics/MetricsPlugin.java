package org.backproplab.plugins.metrics;

import java.util.List;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.Plugin;

/** The built-in evaluation metrics. */
public final class MetricsPlugin implements Plugin {

    @Override
    public List<MetricFactory<?>> metrics() {
        return List.of(new AccuracyMetricFactory());
    }
}

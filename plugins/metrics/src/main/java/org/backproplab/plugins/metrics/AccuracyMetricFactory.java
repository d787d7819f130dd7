package org.backproplab.plugins.metrics;

import java.util.Map;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;

/** The fraction of test examples whose predicted class is the true one, logged as {@code eval/accuracy}. */
public final class AccuracyMetricFactory implements MetricFactory<NoParameters> {

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public String description() {
        return "Fraction of test examples whose predicted class is the true one (classification; on by default).";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public boolean enabledByDefault(Task task) {
        return task.isClassification();
    }

    @Override
    public Metric create(NoParameters parameters, MetricContext context) {
        Tasks.requireClassification(name(), context);
        return new ConfusionMetric(context) {
            @Override
            public Map<String, Double> values() {
                return Map.of("accuracy", (double) counts.correct() / counts.total());
            }
        };
    }
}

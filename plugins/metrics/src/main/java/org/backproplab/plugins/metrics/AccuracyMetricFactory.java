package org.backproplab.plugins.metrics;

import java.util.Map;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;

/** The fraction of test examples whose predicted class is right: {@code eval/accuracy}. */
public final class AccuracyMetricFactory implements MetricFactory<NoParameters> {

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public String description() {
        return "Fraction of test examples classified correctly (eval/accuracy); on by default for classification.";
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
        if (!context.task().isClassification()) {
            throw new ComponentException("metric accuracy needs a classification dataset; this one is a regression");
        }
        return new Metric() {
            private long right;
            private long seen;

            @Override
            public void reset() {
                right = 0;
                seen = 0;
            }

            @Override
            public void update(EvaluationBatch batch) {
                int[] predicted = batch.predictedLabels();
                int[] actual = batch.targetLabels();
                for (int i = 0; i < predicted.length; i++) {
                    right += predicted[i] == actual[i] ? 1 : 0;
                }
                seen += predicted.length;
            }

            @Override
            public Map<String, Double> values() {
                return Map.of("accuracy", seen == 0 ? Double.NaN : (double) right / seen);
            }
        };
    }
}

package org.backproplab.plugins.example;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;

/**
 * The Brier score of a binary classifier whose output is a probability (a model ending in a sigmoid):
 * the mean of (p − y)² over the test split, 0 for perfect and confident predictions, 0.25 for a coin.
 * Logged as {@code eval/brier}.
 */
public final class BrierScoreMetricFactory implements MetricFactory<NoParameters> {

    @Override
    public String name() {
        return "brier";
    }

    @Override
    public String description() {
        return "Brier score: mean squared difference between the predicted probability and the 0/1 label.";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public Metric create(NoParameters parameters, MetricContext context) {
        if (context.task() != Task.BINARY_CLASSIFICATION) {
            throw new ComponentException("metric brier needs a binary classification dataset whose model outputs "
                    + "probabilities; this one is " + context.task().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Metric() {
            private double squares;
            private long count;

            @Override
            public void reset() {
                squares = 0;
                count = 0;
            }

            @Override
            public void update(EvaluationBatch batch) {
                NDArray error = batch.outputs().reshape(-1).sub(batch.targets().reshape(-1));
                squares += error.square().sum().getFloat();
                count += batch.size();
            }

            @Override
            public Map<String, Double> values() {
                return Map.of("brier", squares / count);
            }
        };
    }
}

package org.backproplab.plugins.metrics;

import java.util.Map;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;

/**
 * The mean squared (or absolute) difference between the model's outputs and the targets, each
 * example's errors averaged over its outputs and then over the test split: {@code eval/mse} is what
 * seed 002 prints, beside the ½-scaled sum its {@code mse} loss minimises. For regression and for
 * binary classification with 0/1 targets (the outputs as the model gives them, so after its sigmoid).
 */
public final class ElementwiseErrorMetricFactory implements MetricFactory<NoParameters> {

    private final ElementwiseError error;

    /**
     * The factory of one error metric.
     *
     * @param error squared or absolute
     */
    ElementwiseErrorMetricFactory(ElementwiseError error) {
        this.error = error;
    }

    @Override
    public String name() {
        return error.key();
    }

    @Override
    public String description() {
        return error.description() + " (regression, or binary classification on 0/1 targets).";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public Metric create(NoParameters parameters, MetricContext context) {
        if (context.task() == Task.MULTICLASS_CLASSIFICATION) {
            throw new ComponentException("metric '" + name() + "' compares each output with its target, but the dataset's task is "
                    + Tasks.describe(context.task()) + ", whose targets are class indices; use accuracy or f1");
        }
        return new Metric() {
            private double sum;
            private long examples;

            @Override
            public void reset() {
                sum = 0;
                examples = 0;
            }

            @Override
            public void update(EvaluationBatch batch) {
                double[] outputs = Values.doubles(batch.outputs());
                double[] targets = Values.doubles(batch.targets());
                int n = batch.size();
                if (n == 0) {
                    return;
                }
                if (outputs.length != targets.length) {
                    throw new ComponentException("metric '" + name() + "': the model gives " + outputs.length / n
                            + " outputs per example but the targets hold " + targets.length / n + " values");
                }
                int width = outputs.length / n;
                for (int i = 0; i < n; i++) {
                    double exampleSum = 0;
                    for (int j = i * width; j < (i + 1) * width; j++) {
                        exampleSum += error.of(outputs[j] - targets[j]);
                    }
                    sum += exampleSum / width;
                }
                examples += n;
            }

            @Override
            public Map<String, Double> values() {
                return Map.of(name(), sum / examples);
            }
        };
    }
}

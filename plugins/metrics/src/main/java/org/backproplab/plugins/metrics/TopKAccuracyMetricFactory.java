package org.backproplab.plugins.metrics;

import jakarta.validation.constraints.Positive;
import java.util.Map;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/**
 * The fraction of test examples whose true class is among the k highest of the model's outputs,
 * logged as {@code eval/top_<k>_accuracy}. Ties count for the true class (fewer than k other classes
 * score strictly higher); an example with a NaN output counts as a miss.
 */
public final class TopKAccuracyMetricFactory implements MetricFactory<TopKAccuracyMetricFactory.Parameters> {

    /** The parameters of {@code top_k_accuracy}. */
    public record Parameters(
            @Param(value = "how many of the highest-scoring classes may hold the true one", defaultValue = "5") @Positive int k) {}

    @Override
    public String name() {
        return "top_k_accuracy";
    }

    @Override
    public String description() {
        return "Fraction of test examples whose true class is among the k highest outputs (multiclass).";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Metric create(Parameters parameters, MetricContext context) {
        if (context.task() != Task.MULTICLASS_CLASSIFICATION) {
            throw new ComponentException("metric 'top_k_accuracy' ranks the scores of several classes, but the dataset's task is "
                    + Tasks.describe(context.task()) + "; use accuracy");
        }
        int k = parameters.k();
        if (k >= context.classes()) {
            throw new ComponentException("metric 'top_k_accuracy': k " + k + " is always right with " + context.classes()
                    + " classes; give k below " + context.classes());
        }
        int classes = context.classes();
        return new Metric() {
            private long hits;
            private long examples;

            @Override
            public void reset() {
                hits = 0;
                examples = 0;
            }

            @Override
            public void update(EvaluationBatch batch) {
                double[] scores = Values.doubles(batch.outputs());
                int[] targets = batch.targetLabels();
                for (int i = 0; i < targets.length; i++) {
                    if (isAmongTopK(scores, i * classes, classes, targets[i], k)) {
                        hits++;
                    }
                }
                examples += targets.length;
            }

            @Override
            public Map<String, Double> values() {
                return Map.of("top_" + k + "_accuracy", (double) hits / examples);
            }
        };
    }

    static boolean isAmongTopK(double[] scores, int offset, int classes, int target, int k) {
        double targetScore = scores[offset + target];
        int higher = 0;
        for (int c = 0; c < classes; c++) {
            double score = scores[offset + c];
            if (Double.isNaN(score)) {
                return false;
            }
            if (score > targetScore) {
                higher++;
            }
        }
        return higher < k;
    }
}

package org.backproplab.plugins.metrics;

import java.util.List;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.Plugin;

/**
 * The built-in evaluation metrics: accuracy, top-k accuracy, precision, recall and F1 (macro and per
 * class), the confusion matrix as CSV and PNG, and mean squared and absolute error.
 */
public final class MetricsPlugin implements Plugin {

    @Override
    public List<MetricFactory<?>> metrics() {
        return List.of(
                new AccuracyMetricFactory(),
                new TopKAccuracyMetricFactory(),
                new ClassScoreMetricFactory(ClassScore.PRECISION),
                new ClassScoreMetricFactory(ClassScore.RECALL),
                new ClassScoreMetricFactory(ClassScore.F1),
                new ConfusionMatrixMetricFactory(),
                new ElementwiseErrorMetricFactory(ElementwiseError.SQUARED),
                new ElementwiseErrorMetricFactory(ElementwiseError.ABSOLUTE));
    }
}

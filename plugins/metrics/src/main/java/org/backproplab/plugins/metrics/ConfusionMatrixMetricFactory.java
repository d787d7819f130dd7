package org.backproplab.plugins.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.NoParameters;

/**
 * The confusion matrix of the last evaluation, kept with the run as {@code metrics/confusion_matrix.csv}
 * (true classes down, predicted across) and {@code metrics/confusion_matrix.png}, a heatmap of the
 * counts with the dataset's class names. It logs no values.
 */
public final class ConfusionMatrixMetricFactory implements MetricFactory<NoParameters> {

    /** The MLflow artifact folder of both files. */
    static final String DIRECTORY = "metrics";

    @Override
    public String name() {
        return "confusion_matrix";
    }

    @Override
    public String description() {
        return "Counts of true against predicted classes at the last evaluation, kept as CSV and a PNG heatmap (classification).";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public Metric create(NoParameters parameters, MetricContext context) {
        Tasks.requireClassification(name(), context);
        List<String> names = context.classNames().size() == context.classes()
                ? List.copyOf(context.classNames())
                : IntStream.range(0, context.classes()).mapToObj(Integer::toString).toList();
        return new ConfusionMetric(context) {
            @Override
            public Map<String, Double> values() {
                return Map.of();
            }

            @Override
            public List<Artifact> artifacts() {
                try {
                    return List.of(
                            new Artifact(DIRECTORY, "confusion_matrix.csv", ConfusionMatrixFiles.csv(counts, names)),
                            new Artifact(DIRECTORY, "confusion_matrix.png", ConfusionMatrixFiles.png(counts, names)));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not draw the confusion matrix", e);
                }
            }
        };
    }
}

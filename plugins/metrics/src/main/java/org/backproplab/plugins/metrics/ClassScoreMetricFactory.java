package org.backproplab.plugins.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.Param;

/**
 * Precision, recall or F1 of each class (one class against the rest) and their macro average, the
 * unweighted mean over classes, logged as {@code eval/f1_macro} and {@code eval/f1/class_03}. As in
 * torchmetrics, a class with neither examples nor predictions scores 0 and is left out of the average.
 */
public final class ClassScoreMetricFactory implements MetricFactory<ClassScoreMetricFactory.Parameters> {

    /** The parameters of {@code precision}, {@code recall} and {@code f1}. */
    public record Parameters(
            @Param(value = "log each class's score besides the macro average", defaultValue = "true") boolean perClass) {}

    private final ClassScore score;

    /**
     * The factory of one score.
     *
     * @param score precision, recall or F1
     */
    ClassScoreMetricFactory(ClassScore score) {
        this.score = score;
    }

    @Override
    public String name() {
        return score.key();
    }

    @Override
    public String description() {
        return "Macro-averaged and per-class " + score.title() + ": " + score.meaning() + " (classification).";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Metric create(Parameters parameters, MetricContext context) {
        Tasks.requireClassification(name(), context);
        return new ConfusionMetric(context) {
            @Override
            public Map<String, Double> values() {
                Map<String, Double> values = new LinkedHashMap<>();
                double sum = 0;
                int averaged = 0;
                for (int c = 0; c < counts.classes(); c++) {
                    long tp = counts.truePositives(c);
                    long fp = counts.falsePositives(c);
                    long fn = counts.falseNegatives(c);
                    double value = score.of(tp, fp, fn);
                    if (tp + fp + fn > 0) {
                        sum += value;
                        averaged++;
                    }
                    if (parameters.perClass()) {
                        values.put(score.key() + "/" + classKey(c, counts.classes()), value);
                    }
                }
                values.put(score.key() + "_macro", averaged == 0 ? Double.NaN : sum / averaged);
                return values;
            }
        };
    }

    /** {@code class_03}: zero-padded to the widest index (at least two digits), so keys sort by class. */
    static String classKey(int c, int classes) {
        int width = Math.max(2, Integer.toString(classes - 1).length());
        return "class_" + "0".repeat(Math.max(0, width - Integer.toString(c).length())) + c;
    }
}

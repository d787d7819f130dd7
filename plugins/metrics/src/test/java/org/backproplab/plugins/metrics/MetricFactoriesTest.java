package org.backproplab.plugins.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics against values worked out by hand. The 3-class example, true classes down and predicted across:
 *
 * <pre>
 *            pred 0  pred 1  pred 2   (row sums 4, 2, 3; column sums 3, 2, 4)
 *   true 0      2       1       1
 *   true 1      1       1       0
 *   true 2      0       0       3
 * </pre>
 *
 * accuracy 6/9; precision 2/3, 1/2, 3/4 (macro 0.638889); recall 2/4, 1/2, 3/3 (macro 2/3);
 * F1 = 2tp/(2tp + fp + fn) = 4/7, 2/4, 6/7 (macro 0.642857).
 */
class MetricFactoriesTest {

    private static final int[] TARGETS = {0, 0, 0, 0, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 2, 1, 0, 2, 2, 2};
    private static final MetricContext THREE_CLASSES = new MetricContext(Task.MULTICLASS_CLASSIFICATION, 3, List.of("cat", "dog", "bird, small"));

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** The labels in two chunks (the framework evaluates in batches), the outputs as one-hot scores of the prediction. */
    private Metric evaluated(MetricFactory<?> factory, Record parameters, MetricContext context) {
        @SuppressWarnings("unchecked")
        Metric metric = ((MetricFactory<Record>) factory).create(parameters, context);
        metric.reset();
        metric.update(classification(0, 5));
        metric.update(classification(5, 9));
        return metric;
    }

    private EvaluationBatch classification(int from, int to) {
        int n = to - from;
        float[] oneHot = new float[n * 3];
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            oneHot[i * 3 + PREDICTED[from + i]] = 1;
            targets[i] = TARGETS[from + i];
        }
        return new EvaluationBatch(manager.create(oneHot, new Shape(n, 3)), manager.create(targets, new Shape(n, 1)),
                java.util.Arrays.copyOfRange(PREDICTED, from, to), java.util.Arrays.copyOfRange(TARGETS, from, to));
    }

    @Test
    void accuracyCountsTheDiagonal() {
        Metric accuracy = evaluated(new AccuracyMetricFactory(), new NoParameters(), THREE_CLASSES);
        assertThat(accuracy.values()).containsOnlyKeys("accuracy");
        assertThat(accuracy.values().get("accuracy")).isCloseTo(6.0 / 9, within(1e-12));
    }

    @Test
    void resetForgetsThePreviousEvaluation() {
        Metric accuracy = evaluated(new AccuracyMetricFactory(), new NoParameters(), THREE_CLASSES);
        accuracy.reset();
        accuracy.update(classification(6, 9));
        assertThat(accuracy.values()).containsExactly(entry("accuracy", 1.0));
    }

    @Test
    void accuracyIsOnByDefaultForClassificationOnly() {
        AccuracyMetricFactory accuracy = new AccuracyMetricFactory();
        assertThat(accuracy.enabledByDefault(Task.MULTICLASS_CLASSIFICATION)).isTrue();
        assertThat(accuracy.enabledByDefault(Task.BINARY_CLASSIFICATION)).isTrue();
        assertThat(accuracy.enabledByDefault(Task.REGRESSION)).isFalse();
        assertThat(new ClassScoreMetricFactory(ClassScore.F1).enabledByDefault(Task.MULTICLASS_CLASSIFICATION)).isFalse();
    }

    @Test
    void precisionPerClassAndMacro() {
        Map<String, Double> values = evaluated(new ClassScoreMetricFactory(ClassScore.PRECISION),
                new ClassScoreMetricFactory.Parameters(true), THREE_CLASSES).values();
        assertThat(values).containsOnlyKeys("precision/class_00", "precision/class_01", "precision/class_02", "precision_macro");
        assertThat(values.get("precision/class_00")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(values.get("precision/class_01")).isCloseTo(0.5, within(1e-12));
        assertThat(values.get("precision/class_02")).isCloseTo(0.75, within(1e-12));
        assertThat(values.get("precision_macro")).isCloseTo(0.638889, within(1e-6));
    }

    @Test
    void recallPerClassAndMacro() {
        Map<String, Double> values = evaluated(new ClassScoreMetricFactory(ClassScore.RECALL),
                new ClassScoreMetricFactory.Parameters(true), THREE_CLASSES).values();
        assertThat(values).containsExactly(entry("recall/class_00", 0.5), entry("recall/class_01", 0.5),
                entry("recall/class_02", 1.0), entry("recall_macro", 2.0 / 3));
    }

    @Test
    void f1IsTheMeanOfThePerClassHarmonicMeans() {
        Map<String, Double> values = evaluated(new ClassScoreMetricFactory(ClassScore.F1),
                new ClassScoreMetricFactory.Parameters(true), THREE_CLASSES).values();
        assertThat(values.get("f1/class_00")).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(values.get("f1/class_01")).isCloseTo(0.5, within(1e-12));
        assertThat(values.get("f1/class_02")).isCloseTo(6.0 / 7, within(1e-12));
        // Not the harmonic mean of macro precision and recall (0.652482).
        assertThat(values.get("f1_macro")).isCloseTo(0.642857, within(1e-6));
    }

    @Test
    void withoutPerClassOnlyTheMacroAverageIsLogged() {
        Map<String, Double> values = evaluated(new ClassScoreMetricFactory(ClassScore.F1),
                new ClassScoreMetricFactory.Parameters(false), THREE_CLASSES).values();
        assertThat(values).containsOnlyKeys("f1_macro");
    }

    @Test
    void aClassNeverSeenNorPredictedScoresZeroAndStaysOutOfTheAverage() {
        // A fourth class with no example and no prediction: the macro average is the 3-class one.
        MetricContext fourClasses = new MetricContext(Task.MULTICLASS_CLASSIFICATION, 4, List.of());
        Metric f1 = new ClassScoreMetricFactory(ClassScore.F1).create(new ClassScoreMetricFactory.Parameters(true), fourClasses);
        f1.reset();
        f1.update(new EvaluationBatch(manager.zeros(new Shape(9, 4)), manager.zeros(new Shape(9, 1)), PREDICTED, TARGETS));
        assertThat(f1.values().get("f1/class_03")).isZero();
        assertThat(f1.values().get("f1_macro")).isCloseTo(0.642857, within(1e-6));
    }

    @Test
    void classKeysArePaddedToTheWidestIndex() {
        assertThat(ClassScoreMetricFactory.classKey(3, 10)).isEqualTo("class_03");
        assertThat(ClassScoreMetricFactory.classKey(7, 2)).isEqualTo("class_07");
        assertThat(ClassScoreMetricFactory.classKey(7, 101)).isEqualTo("class_007");
    }

    @Test
    void binaryClassificationHasTwoClasses() {
        MetricContext binary = new MetricContext(Task.BINARY_CLASSIFICATION, 1, List.of());
        Metric precision = new ClassScoreMetricFactory(ClassScore.PRECISION).create(new ClassScoreMetricFactory.Parameters(true), binary);
        precision.reset();
        // Targets 1, 1, 0, 0; predicted 1, 0, 1, 0: class 1 is right once out of two predictions, class 0 too.
        precision.update(new EvaluationBatch(manager.create(new float[] {0.9f, 0.2f, 0.7f, 0.1f}, new Shape(4, 1)),
                manager.create(new float[] {1, 1, 0, 0}, new Shape(4, 1)), new int[] {1, 0, 1, 0}, new int[] {1, 1, 0, 0}));
        assertThat(precision.values()).containsExactly(
                entry("precision/class_00", 0.5), entry("precision/class_01", 0.5), entry("precision_macro", 0.5));
    }

    @Test
    void topKAccuracyLooksAtTheKHighestOutputs() {
        // Four examples of four classes; the true class ranks 1st, 2nd, 3rd and 1st (tied with class 1).
        NDArray outputs = manager.create(new float[] {
            0.9f, 0.1f, 0.0f, 0.0f,
            0.5f, 0.3f, 0.1f, 0.1f,
            0.1f, 0.3f, 0.2f, 0.4f,
            0.2f, 0.4f, 0.0f, 0.4f}, new Shape(4, 4));
        int[] targets = {0, 1, 2, 3};
        MetricContext fourClasses = new MetricContext(Task.MULTICLASS_CLASSIFICATION, 4, List.of());
        Metric top2 = new TopKAccuracyMetricFactory().create(new TopKAccuracyMetricFactory.Parameters(2), fourClasses);
        top2.reset();
        top2.update(new EvaluationBatch(outputs, manager.create(new float[] {0, 1, 2, 3}, new Shape(4, 1)), new int[] {0, 0, 3, 1}, targets));
        assertThat(top2.values()).containsExactly(entry("top_2_accuracy", 0.75));
    }

    @Test
    void topKAccuracyCountsANanOutputAsAMiss() {
        assertThat(TopKAccuracyMetricFactory.isAmongTopK(new double[] {0.1, Double.NaN, 0.2}, 0, 3, 2, 2)).isFalse();
        assertThat(TopKAccuracyMetricFactory.isAmongTopK(new double[] {0.1, 0.3, 0.2}, 0, 3, 2, 2)).isTrue();
    }

    @Test
    void topKAccuracyRefusesWhatCannotRank() {
        TopKAccuracyMetricFactory factory = new TopKAccuracyMetricFactory();
        assertThatThrownBy(() -> factory.create(new TopKAccuracyMetricFactory.Parameters(3), THREE_CLASSES))
                .isInstanceOf(ComponentException.class)
                .hasMessage("metric 'top_k_accuracy': k 3 is always right with 3 classes; give k below 3");
        assertThatThrownBy(() -> factory.create(new TopKAccuracyMetricFactory.Parameters(1),
                        new MetricContext(Task.BINARY_CLASSIFICATION, 1, List.of())))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("the dataset's task is binary_classification");
    }

    @Test
    void classificationMetricsNameTheTaskTheyDoNotFit() {
        MetricContext regression = new MetricContext(Task.REGRESSION, 2, List.of());
        for (MetricFactory<?> factory : new MetricsPlugin().metrics()) {
            if (factory.name().equals("mse") || factory.name().equals("mae")) {
                continue;
            }
            assertThatThrownBy(() -> create(factory, regression))
                    .as(factory.name())
                    .isInstanceOf(ComponentException.class)
                    .hasMessageStartingWith("metric '" + factory.name() + "' ")
                    .hasMessageContaining("the dataset's task is regression");
        }
    }

    private static Metric create(MetricFactory<?> factory, MetricContext context) {
        Record parameters = switch (factory.name()) {
            case "top_k_accuracy" -> new TopKAccuracyMetricFactory.Parameters(5);
            case "precision", "recall", "f1" -> new ClassScoreMetricFactory.Parameters(true);
            default -> new NoParameters();
        };
        @SuppressWarnings("unchecked")
        MetricFactory<Record> typed = (MetricFactory<Record>) factory;
        return typed.create(parameters, context);
    }

    @Test
    void meanSquaredErrorAveragesOverOutputsThenExamples() {
        // Errors (0, 2) and (3, 0): squared means 2 and 4.5, so 3.25; absolute means 1 and 1.5, so 1.25.
        MetricContext regression = new MetricContext(Task.REGRESSION, 2, List.of());
        for (ElementwiseError error : ElementwiseError.values()) {
            Metric metric = new ElementwiseErrorMetricFactory(error).create(new NoParameters(), regression);
            metric.reset();
            metric.update(new EvaluationBatch(manager.create(new float[] {1, 2}, new Shape(1, 2)),
                    manager.create(new float[] {1, 0}, new Shape(1, 2)), null, null));
            metric.update(new EvaluationBatch(manager.create(new float[] {3, 4}, new Shape(1, 2)),
                    manager.create(new float[] {0, 4}, new Shape(1, 2)), null, null));
            assertThat(metric.values()).containsExactly(entry(error.key(), error == ElementwiseError.SQUARED ? 3.25 : 1.25));
        }
    }

    @Test
    void meanSquaredErrorOfBinaryOutputsAgainstTheirTargets() {
        // Seed 002's printed loss: np.mean((y − t)²) over the four XOR points.
        Metric mse = new ElementwiseErrorMetricFactory(ElementwiseError.SQUARED)
                .create(new NoParameters(), new MetricContext(Task.BINARY_CLASSIFICATION, 1, List.of()));
        mse.reset();
        mse.update(new EvaluationBatch(manager.create(new float[] {0.1f, 0.8f, 0.7f, 0.4f}, new Shape(4, 1)),
                manager.create(new float[] {0, 1, 1, 0}, new Shape(4, 1)), new int[] {0, 1, 1, 0}, new int[] {0, 1, 1, 0}));
        // (0.01 + 0.04 + 0.09 + 0.16) / 4
        assertThat(mse.values().get("mse")).isCloseTo(0.075, within(1e-7));
    }

    @Test
    void errorMetricsRefuseClassIndexTargets() {
        assertThatThrownBy(() -> new ElementwiseErrorMetricFactory(ElementwiseError.SQUARED).create(new NoParameters(), THREE_CLASSES))
                .isInstanceOf(ComponentException.class)
                .hasMessage("metric 'mse' compares each output with its target, but the dataset's task is "
                        + "multiclass_classification, whose targets are class indices; use accuracy or f1");
    }

    @Test
    void confusionMatrixIsKeptAsCsvAndPng() throws IOException {
        Metric matrix = evaluated(new ConfusionMatrixMetricFactory(), new NoParameters(), THREE_CLASSES);
        assertThat(matrix.values()).isEmpty();
        List<Artifact> artifacts = matrix.artifacts();
        assertThat(artifacts).extracting(Artifact::directory).containsOnly("metrics");
        assertThat(artifacts).extracting(Artifact::fileName).containsExactly("confusion_matrix.csv", "confusion_matrix.png");
        assertThat(new String(artifacts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("""
                target \\ predicted,cat,dog,"bird, small"
                cat,2,1,1
                dog,1,1,0
                "bird, small",0,0,3
                """);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(artifacts.get(1).content()));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThan(image.getHeight());
        // A drawn heatmap with its shades, labels and legend, not a blank image.
        assertThat(distinctColours(image)).isGreaterThan(10);
    }

    @Test
    void confusionMatrixNamesClassesByIndexWithoutNames() {
        Metric matrix = evaluated(new ConfusionMatrixMetricFactory(), new NoParameters(),
                new MetricContext(Task.MULTICLASS_CLASSIFICATION, 3, List.of()));
        assertThat(new String(matrix.artifacts().get(0).content(), StandardCharsets.UTF_8))
                .startsWith("target \\ predicted,0,1,2\n0,2,1,1\n");
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void thePluginListsEveryMetric() {
        assertThat(new MetricsPlugin().metrics()).extracting(MetricFactory::name).containsExactly(
                "accuracy", "top_k_accuracy", "precision", "recall", "f1", "confusion_matrix", "mse", "mae");
    }
}

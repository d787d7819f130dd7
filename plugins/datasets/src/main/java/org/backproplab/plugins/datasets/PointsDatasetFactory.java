package org.backproplab.plugins.datasets;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.ExampleSource;
import org.backproplab.spi.Examples;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/**
 * Examples written in the experiment file, {@code train: {x: [[0.5, 0.8]], y: [[1.0]]}}: the worked
 * examples of the seeds, typed in as the articles give them. Without a test split the training
 * points are evaluated, so {@code eval/*} says how well the network fits exactly the given points.
 */
public final class PointsDatasetFactory implements DatasetFactory<PointsDatasetFactory.Parameters> {

    /**
     * One split: a row of x and a row of y per example.
     *
     * @param x the inputs, one row per example, every row of the same width
     * @param y the targets, one row per example; for classification one value per row, the class index
     */
    public record Split(
            @Param("inputs, one row per example, e.g. [[0.5, 0.8], [0.2, 0.3]]") @NotNull List<List<Double>> x,
            @Param("targets, one row per example, e.g. [[1.0], [0.5]]; for classification the class index")
                    @NotNull List<List<Double>> y) {}

    /** The parameters of {@code points}. */
    public record Parameters(
            @Param("the training examples {x: [[...]], y: [[...]]}") @NotNull Split train,
            @Param(value = "the test examples, evaluated as eval/*; absent: the training examples themselves",
                    defaultValue = Param.NONE) Split test,
            @Param(value = "what y means; absent: binary_classification when y is one column of 0s and 1s,"
                    + " multiclass_classification when classes is given, otherwise regression", defaultValue = Param.NONE)
                    Task task,
            @Param(value = "number of classes of multiclass_classification; absent: the largest class index + 1",
                    defaultValue = Param.NONE) @Min(2) Integer classes) {}

    @Override
    public String name() {
        return "points";
    }

    @Override
    public String description() {
        return "Examples written in the file: train: {x: [[...]], y: [[...]]}, optional test:, task inferred or given.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Dataset create(Parameters parameters, DatasetContext context) {
        List<String> problems = new ArrayList<>();
        Split train = parameters.train();
        checkSplit(train, "train", problems);
        Optional<Split> test = Optional.ofNullable(parameters.test());
        test.ifPresent(split -> {
            checkSplit(split, "test", problems);
            checkSameWidth(train.x(), split.x(), "x", problems);
            checkSameWidth(train.y(), split.y(), "y", problems);
        });
        Task task = parameters.task() != null ? parameters.task() : inferTask(parameters, train);
        int outputSize = problems.isEmpty() ? outputSize(task, parameters, train, test, problems) : 1;
        if (!problems.isEmpty()) {
            throw new ComponentException("dataset 'points': " + String.join("; ", problems));
        }
        Examples trainExamples = examples(train);
        ExampleSource testExamples = test.map(PointsDatasetFactory::examples).orElse(trainExamples);
        return new Dataset(task, outputSize, trainExamples, Optional.of(testExamples));
    }

    private static void checkSplit(Split split, String name, List<String> problems) {
        if (split.x().isEmpty()) {
            problems.add("dataset." + name + ".x: must hold at least one example, got []");
        }
        checkRows(split.x(), "dataset." + name + ".x", problems);
        checkRows(split.y(), "dataset." + name + ".y", problems);
        if (split.x().size() != split.y().size()) {
            problems.add(String.format(Locale.ROOT, "dataset.%s: x has %d rows but y has %d (one row of each per example), y = %s",
                    name, split.x().size(), split.y().size(), shortened(split.y())));
        }
    }

    /** Every row as wide as the first, none empty, every value finite. */
    private static void checkRows(List<List<Double>> rows, String path, List<String> problems) {
        for (int i = 0; i < rows.size(); i++) {
            List<Double> row = rows.get(i);
            if (row.isEmpty()) {
                problems.add(path + "[" + i + "]: an empty row, got []");
            } else if (row.size() != rows.get(0).size()) {
                problems.add(String.format(Locale.ROOT, "%s[%d]: has %d values but row 0 has %d, got %s",
                        path, i, row.size(), rows.get(0).size(), row));
            }
            for (int j = 0; j < row.size(); j++) {
                if (!Double.isFinite(row.get(j))) {
                    problems.add(String.format(Locale.ROOT, "%s[%d][%d]: must be a finite number, got %s", path, i, j, row.get(j)));
                }
            }
        }
    }

    private static void checkSameWidth(List<List<Double>> train, List<List<Double>> test, String name, List<String> problems) {
        if (!train.isEmpty() && !test.isEmpty() && train.get(0).size() != test.get(0).size()) {
            problems.add(String.format(Locale.ROOT, "dataset.test.%s: rows of %d values, but dataset.train.%s has rows of %d, got %s",
                    name, test.get(0).size(), name, train.get(0).size(), test.get(0)));
        }
    }

    private static Task inferTask(Parameters parameters, Split train) {
        if (parameters.classes() != null) {
            return Task.MULTICLASS_CLASSIFICATION;
        }
        boolean zeroOne = !train.y().isEmpty() && train.y().stream()
                .allMatch(row -> row.size() == 1 && (row.get(0) == 0.0 || row.get(0) == 1.0));
        return zeroOne ? Task.BINARY_CLASSIFICATION : Task.REGRESSION;
    }

    private static int outputSize(Task task, Parameters parameters, Split train, Optional<Split> test, List<String> problems) {
        if (task == Task.REGRESSION) {
            if (parameters.classes() != null) {
                problems.add("dataset.classes: only for multiclass_classification, got " + parameters.classes() + " with task regression");
            }
            return train.y().get(0).size();
        }
        List<Split> splits = new ArrayList<>(List.of(train));
        test.ifPresent(splits::add);
        int largest = 0;
        for (Split split : splits) {
            String name = split == train ? "train" : "test";
            for (int i = 0; i < split.y().size(); i++) {
                List<Double> row = split.y().get(i);
                double label = row.get(0);
                if (row.size() != 1) {
                    problems.add(String.format(Locale.ROOT, "dataset.%s.y[%d]: a %s target is one class index, got %s",
                            name, i, taskName(task), row));
                } else if (task == Task.BINARY_CLASSIFICATION && label != 0.0 && label != 1.0) {
                    problems.add(String.format(Locale.ROOT, "dataset.%s.y[%d]: a binary_classification target is 0 or 1, got %s",
                            name, i, row));
                } else if (label < 0 || label != Math.rint(label)) {
                    problems.add(String.format(Locale.ROOT, "dataset.%s.y[%d]: a class index is an integer >= 0, got %s",
                            name, i, row));
                } else {
                    largest = Math.max(largest, (int) label);
                }
            }
        }
        if (task == Task.BINARY_CLASSIFICATION) {
            return 1;
        }
        int classes = parameters.classes() != null ? parameters.classes() : Math.max(2, largest + 1);
        if (largest >= classes) {
            problems.add(String.format(Locale.ROOT, "dataset.classes: %d classes, but a target is class %d (indices start at 0)",
                    classes, largest));
        }
        return classes;
    }

    private static Examples examples(Split split) {
        int width = split.x().get(0).size();
        int targetWidth = split.y().get(0).size();
        float[] features = new float[split.x().size() * width];
        float[] targets = new float[split.y().size() * targetWidth];
        for (int i = 0; i < split.x().size(); i++) {
            for (int j = 0; j < width; j++) {
                features[i * width + j] = split.x().get(i).get(j).floatValue();
            }
            for (int j = 0; j < targetWidth; j++) {
                targets[i * targetWidth + j] = split.y().get(i).get(j).floatValue();
            }
        }
        return new Examples(features, width, targets, targetWidth);
    }

    private static String taskName(Task task) {
        return task.name().toLowerCase(Locale.ROOT);
    }

    private static String shortened(List<List<Double>> rows) {
        String text = rows.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}

package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.ExampleSource;
import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Metric;

/**
 * Evaluates the test split: {@code eval/loss} and every metric's values under {@code eval/}. The
 * split is copied to the engine once, at the first evaluation, and kept for the run, so an evaluation
 * costs its forward passes; they go in chunks so memory stays bounded whatever the model's activations cost.
 */
final class Evaluator {

    /** Examples per forward pass: large enough to keep the engine busy, small enough for a CNN's activations. */
    static final int CHUNK = 2048;

    private final ExampleSource test;
    private final LossFunction lossFunction;
    private final boolean classification;
    private final List<Metric> metrics;
    private boolean evaluated;
    private NDList split;

    Evaluator(ExampleSource test, LossFunction lossFunction, boolean classification, List<Metric> metrics) {
        this.test = test;
        this.lossFunction = lossFunction;
        this.classification = classification;
        this.metrics = List.copyOf(metrics);
    }

    /** The model's output and the loss of a chunk of the split, in the chunk's manager. */
    @FunctionalInterface
    interface Pass {
        NDList outputAndLoss(NDArray input, NDArray target, NDManager manager);
    }

    /**
     * The evaluation's values by key, e.g. {@code eval/loss}, {@code eval/accuracy}; empty without a test split.
     * DJL's forward pass and loss compute each chunk's output and loss.
     */
    Map<String, Double> evaluate(Trainer trainer, NDManager parent) {
        Loss loss = lossFunction.loss();
        return evaluate(parent, (input, target, manager) -> {
            NDArray output = trainer.evaluate(new NDList(input)).singletonOrThrow();
            return new NDList(output, loss.evaluate(new NDList(target), new NDList(output)));
        });
    }

    /** The evaluation's values by key, each chunk's output and loss computed by {@code pass}. */
    Map<String, Double> evaluate(NDManager parent, Pass pass) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (test == null) {
            return values;
        }
        metrics.forEach(Metric::reset);
        if (split == null) {
            split = ShuffledBatches.rows(test, 0, test.size(), parent); // over direct memory the arrays keep alive
        }
        double lossSum = 0;
        for (int start = 0; start < test.size(); start += CHUNK) {
            int end = Math.min(start + CHUNK, test.size());
            try (NDManager chunkManager = parent.newSubManager()) {
                NDArray input = split.get(0).get(start + ":" + end);
                NDArray target = split.get(1).get(start + ":" + end);
                input.attach(chunkManager);
                target.attach(chunkManager);
                NDList result = pass.outputAndLoss(input, target, chunkManager);
                NDArray output = result.get(0);
                lossSum += result.get(1).getFloat() * (end - start);
                EvaluationBatch batch = classification
                        ? new EvaluationBatch(output, target, labels(lossFunction.predictLabels(output)), labels(target))
                        : new EvaluationBatch(output, target, null, null);
                metrics.forEach(metric -> metric.update(batch));
            }
        }
        evaluated = true;
        values.put("eval/loss", lossSum / test.size());
        for (Metric metric : metrics) {
            metric.values().forEach((key, value) -> values.put("eval/" + key, value));
        }
        return values;
    }

    /** What each metric keeps of the last evaluation (a confusion matrix, ...); nothing before the first. */
    List<Artifact> artifacts() {
        if (test == null || !evaluated) {
            return List.of();
        }
        List<Artifact> artifacts = new java.util.ArrayList<>();
        metrics.forEach(metric -> artifacts.addAll(metric.artifacts()));
        return artifacts;
    }

    private static int[] labels(NDArray array) {
        return array.reshape(-1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
    }
}

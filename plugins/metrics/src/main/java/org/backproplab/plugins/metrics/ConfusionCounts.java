package org.backproplab.plugins.metrics;

import java.util.Arrays;
import org.backproplab.spi.EvaluationBatch;

/** How often each true class was predicted as each class, over the chunks of one evaluation. */
final class ConfusionCounts {

    private final long[][] counts;

    ConfusionCounts(int classes) {
        this.counts = new long[classes][classes];
    }

    int classes() {
        return counts.length;
    }

    void reset() {
        for (long[] row : counts) {
            Arrays.fill(row, 0);
        }
    }

    /**
     * Adds a chunk's labels.
     *
     * @throws IllegalArgumentException when the batch has no labels or a label is not a class
     */
    void add(EvaluationBatch batch) {
        int[] targets = batch.targetLabels();
        int[] predicted = batch.predictedLabels();
        if (targets == null || predicted == null || targets.length != predicted.length) {
            throw new IllegalArgumentException("a classification metric needs as many predicted as target labels");
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= counts.length || predicted[i] < 0 || predicted[i] >= counts.length) {
                throw new IllegalArgumentException("example " + i + ": target " + targets[i] + ", predicted " + predicted[i]
                        + ", but there are " + counts.length + " classes");
            }
            counts[targets[i]][predicted[i]]++;
        }
    }

    /** Examples of true class {@code target} predicted as {@code predicted}. */
    long count(int target, int predicted) {
        return counts[target][predicted];
    }

    long total() {
        return Arrays.stream(counts).flatMapToLong(Arrays::stream).sum();
    }

    long correct() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return correct;
    }

    long truePositives(int c) {
        return counts[c][c];
    }

    /** Examples predicted as {@code c} that are of another class. */
    long falsePositives(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted - counts[c][c];
    }

    /** Examples of class {@code c} predicted as another class. */
    long falseNegatives(int c) {
        return Arrays.stream(counts[c]).sum() - counts[c][c];
    }
}

package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.backproplab.spi.ExampleSource;

/**
 * Cuts a split into batches in an order drawn from a seeded {@link Random}, so the same seed visits
 * the examples in the same order on every run. Rows are copied in Java and each batch is created in
 * the caller's per-batch manager, so nothing outlives the batch.
 */
final class ShuffledBatches {

    private final ExampleSource examples;
    private final int batchSize;
    private final boolean shuffle;
    private final Random random;
    private final int[] order;

    ShuffledBatches(ExampleSource examples, int batchSize, boolean shuffle, long seed) {
        this.examples = examples;
        this.batchSize = Math.min(batchSize, examples.size());
        this.shuffle = shuffle;
        this.random = new Random(seed);
        this.order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
    }

    int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Draws the order of the next epoch (Fisher–Yates). */
    void startEpoch() {
        if (!shuffle) {
            return;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /** Batch {@code index} of the current epoch as (features, targets), created in {@code manager}. */
    NDList batch(int index, NDManager manager) {
        int start = index * batchSize;
        int end = Math.min(start + batchSize, order.length);
        return rows(examples, order, start, end, manager);
    }

    /** Rows {@code order[start..end)} of a split as (features, targets). */
    static NDList rows(ExampleSource examples, int[] order, int start, int end, NDManager manager) {
        int count = end - start;
        int featureSize = examples.featureSize();
        int targetSize = examples.targetSize();
        float[] features = new float[count * featureSize];
        float[] targets = new float[count * targetSize];
        for (int row = 0; row < count; row++) {
            int example = order == null ? start + row : order[start + row];
            examples.read(example, features, row * featureSize, targets, row * targetSize);
        }
        NDArray x = manager.create(features, new Shape(count).addAll(examples.featureShape()));
        NDArray y = manager.create(targets, new Shape(count, targetSize));
        return new NDList(x, y);
    }
}

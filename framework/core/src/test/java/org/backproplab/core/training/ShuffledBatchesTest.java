package org.backproplab.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.spi.Examples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The arrays of full batches are made once over the reused buffers: each batch must still read the rows it was
 * filled with, every epoch a permutation of the split, a short last batch included, and what a step computes from
 * them must be freed with the step.
 */
class ShuffledBatchesTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyEpochReadsEachExampleOnceThroughReusedArrays(boolean prefetch) {
        int size = 10;
        float[] features = new float[size * 2];
        float[] targets = new float[size];
        for (int i = 0; i < size; i++) {
            features[2 * i] = i;
            features[2 * i + 1] = 100 + i;
            targets[i] = i;
        }
        Examples examples = new Examples(features, 2, targets, 1);
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                ShuffledBatches batches = new ShuffledBatches(examples, 4, true, 7, prefetch, manager)) {
            List<List<Integer>> epochs = new ArrayList<>();
            List<Integer> arraysAfterSteps = new ArrayList<>();
            for (int epoch = 0; epoch < 3; epoch++) {
                batches.startEpoch();
                List<Integer> seen = new ArrayList<>();
                for (int index = 0; index < batches.batchesPerEpoch(); index++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDList batch = batches.batch(index, step);
                        batch.get(0).mul(2).sum(); // results go to the step's manager, not the reused arrays' own
                        float[] x = batch.get(0).toFloatArray();
                        float[] y = batch.get(1).toFloatArray();
                        assertThat(y).hasSize(index < 2 ? 4 : 2);
                        for (int row = 0; row < y.length; row++) {
                            assertThat(x[2 * row]).isEqualTo(y[row]);
                            assertThat(x[2 * row + 1]).isEqualTo(100 + y[row]);
                            seen.add((int) y[row]);
                        }
                    }
                    arraysAfterSteps.add(manager.getManagedArrays().size());
                }
                assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
                epochs.add(seen);
            }
            assertThat(epochs).doesNotHaveDuplicates(); // shuffled anew each epoch
            // The reused arrays (features and targets) of one buffer, then of both, and nothing a step computed from them.
            assertThat(arraysAfterSteps.get(0)).isEqualTo(2);
            assertThat(arraysAfterSteps.subList(1, arraysAfterSteps.size())).containsOnly(4);
        }
    }
}

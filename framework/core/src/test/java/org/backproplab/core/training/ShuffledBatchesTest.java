package org.backproplab.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.backproplab.spi.ByteFeatures;
import org.backproplab.spi.ExampleSource;
import org.backproplab.spi.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arrays of full batches are made once over the reused buffers: each batch must still read the rows it was
 * filled with, every epoch a permutation of the split, a short last batch included, and what a step computes from
 * them must be freed with the step.
 */
class ShuffledBatchesTest {

    @ParameterizedTest(name = "prefetch {0}, as bytes {1}, scaled while prefetching {2}")
    @CsvSource({"true, false, true", "false, false, true", "true, true, true", "true, true, false", "false, true, true"})
    void everyEpochReadsEachExampleOnceThroughReusedArrays(boolean prefetch, boolean asBytes, boolean scaleWhilePrefetching) {
        int size = 10;
        float[] features = new float[size * 2];
        float[] targets = new float[size];
        for (int i = 0; i < size; i++) {
            features[2 * i] = i;
            features[2 * i + 1] = 100 + i;
            targets[i] = i;
        }
        ExampleSource examples = asBytes ? new ByteExamples(features, 2, targets, 1f) : new Examples(features, 2, targets, 1);
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                ShuffledBatches batches = new ShuffledBatches(examples, 4, true, 7, prefetch, scaleWhilePrefetching, manager)) {
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
            // The reused arrays (features and targets) of one buffer, then of both, and nothing a step computed from
            // them; with prefetching, a byte batch's scaled features may be waiting for the next step (made when the
            // other thread fills it), never after an epoch's short last batch.
            if (prefetch && asBytes && scaleWhilePrefetching) {
                assertThat(arraysAfterSteps).allMatch(arrays -> arrays == 2 || arrays == 4 || arrays == 5);
                assertThat(arraysAfterSteps.get(arraysAfterSteps.size() - 1)).isEqualTo(4);
            } else {
                assertThat(arraysAfterSteps.get(0)).isEqualTo(2);
                assertThat(arraysAfterSteps.subList(1, arraysAfterSteps.size())).containsOnly(4);
            }
        }
    }

    /** Every byte value through a batch of bytes scaled in the engine reads as {@code b / 255f}, bit for bit. */
    @Test
    void bytesScaledInTheEngineAreTheFloatsOfRead() {
        float[] features = new float[256];
        float[] targets = new float[256];
        for (int b = 0; b < 256; b++) {
            features[b] = b;
            targets[b] = b;
        }
        ByteExamples pixels = new ByteExamples(features, 1, targets, 255f);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[] read = new float[1];
            float[] scaled = ShuffledBatches.rows(pixels, 0, 256, manager).get(0).toFloatArray();
            for (int b = 0; b < 256; b++) {
                pixels.read(b, read, 0, new float[1], 0);
                assertThat(Float.floatToRawIntBits(scaled[b])).as("byte %d", b).isEqualTo(Float.floatToRawIntBits(read[0]));
            }
            assertThat(ShuffledBatches.rows(pixels, 0, 256, manager).get(0).getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }

    /** A split of whole numbers 0-255 held as bytes, read as {@code b / divisor}, as an image dataset holds pixels. */
    private static final class ByteExamples implements ExampleSource, ByteFeatures {
        private final byte[] values;
        private final int width;
        private final float[] targets;
        private final float divisor;

        ByteExamples(float[] features, int width, float[] targets, float divisor) {
            this.values = new byte[features.length];
            for (int i = 0; i < features.length; i++) {
                values[i] = (byte) features[i];
            }
            this.width = width;
            this.targets = targets;
            this.divisor = divisor;
        }

        @Override
        public int size() {
            return targets.length;
        }

        @Override
        public Shape featureShape() {
            return new Shape(width);
        }

        @Override
        public int targetSize() {
            return 1;
        }

        @Override
        public void read(int index, float[] features, int featureOffset, float[] targets, int targetOffset) {
            for (int i = 0; i < width; i++) {
                features[featureOffset + i] = (values[index * width + i] & 0xFF) / divisor;
            }
            targets[targetOffset] = this.targets[index];
        }

        @Override
        public Optional<ByteFeatures> byteFeatures() {
            return Optional.of(this);
        }

        @Override
        public float divisor() {
            return divisor;
        }

        @Override
        public void readBytes(int index, ByteBuffer features, float[] targets, int targetOffset) {
            features.put(values, index * width, width);
            targets[targetOffset] = this.targets[index];
        }
    }
}

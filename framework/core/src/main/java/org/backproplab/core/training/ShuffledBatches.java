package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backproplab.spi.ByteFeatures;
import org.backproplab.spi.ExampleSource;

/**
 * Cuts a split into batches in an order drawn from a seeded {@link Random}, so the same seed visits
 * the examples in the same order on every run. With prefetching, the next batch of the epoch is
 * copied on a background thread while the current step runs; the order is drawn on the training
 * thread only, so a batch's content depends on the seed alone, prefetched or not.
 *
 * <p>Batches are copied into two reused direct buffers taken in turn, and the engine's arrays are
 * made over them without a copy (PyTorch's {@code from_blob}) once, then reused for every full batch
 * (making them cost 0.05 ms a step, measured with {@code ./lab bench step}), lent to each step's manager
 * so that what is computed from them is freed with the step: nothing per batch reaches the GC, and a
 * buffer is refilled only after the step that read it has ended.
 */
final class ShuffledBatches implements AutoCloseable {

    private final ExampleSource examples;
    private final int batchSize;
    private final boolean shuffle;
    private final Random random;
    private final int[] order;
    private final Rows[] slots;
    private final ExecutorService prefetcher;
    private Future<?> next;
    private int nextIndex = -1;

    /**
     * @param arrays the manager of the arrays over the two buffers, reused by every full batch (a short last batch
     *     gets arrays of the step's manager)
     * @param scaleWhilePrefetching whether the prefetching thread also scales a byte batch to floats, which is worth
     *     it only where that thread has a core of its own: an engine call there runs its own OpenMP team beside
     *     PyTorch's, and with two PyTorch threads on two cores that doubled the step's forward pass (0.6 to 1.2-1.3 ms,
     *     {@code ./lab bench step --threads 2}, 2026-12-06)
     */
    ShuffledBatches(ExampleSource examples, int batchSize, boolean shuffle, long seed, boolean prefetch,
            boolean scaleWhilePrefetching, NDManager arrays) {
        this.examples = examples;
        this.batchSize = Math.min(batchSize, examples.size());
        this.shuffle = shuffle;
        this.random = new Random(seed);
        this.order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Without prefetching a batch is filled on the training thread just before its step: scaled there either way.
        boolean scaleWhileFilling = !prefetch || scaleWhilePrefetching;
        this.slots = new Rows[] {new Rows(examples, this.batchSize, arrays, scaleWhileFilling),
            new Rows(examples, this.batchSize, arrays, scaleWhileFilling)};
        this.prefetcher = prefetch ? Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lab-batch-prefetch");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Draws the order of the next epoch (Fisher–Yates); no prefetch is in flight then. */
    void startEpoch() {
        awaitPrefetch();
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

    /**
     * Batch {@code index} of the current epoch as (features, targets), arrays to be read only until batch {@code
     * index + 2} is asked for; a short batch's are made in {@code manager}, which must be closed by then.
     */
    NDList batch(int index, NDManager manager) {
        Rows slot = slots[index % 2];
        if (nextIndex == index) {
            awaitPrefetch();
        } else {
            awaitPrefetch();
            slot.fill(order, index * batchSize, end(index));
        }
        if (prefetcher != null && index + 1 < batchesPerEpoch()) {
            Rows following = slots[(index + 1) % 2];
            int start = (index + 1) * batchSize;
            int end = end(index + 1);
            nextIndex = index + 1;
            next = prefetcher.submit(() -> following.fill(order, start, end));
        }
        return slot.arrays(manager);
    }

    private int end(int index) {
        return Math.min((index + 1) * batchSize, order.length);
    }

    private void awaitPrefetch() {
        if (next == null) {
            return;
        }
        try {
            next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch was being prefetched", e);
        } catch (ExecutionException e) {
            // The source's own exception (a ComponentException, say), as if read on this thread.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            next = null;
            nextIndex = -1;
        }
    }

    @Override
    public void close() {
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
    }

    /** Rows {@code start..end} of a split copied into new arrays of {@code manager}, for one-off reads. */
    static NDList rows(ExampleSource examples, int start, int end, NDManager manager) {
        Rows rows = new Rows(examples, end - start, null, false);
        rows.fill(null, start, end);
        return rows.arrays(manager);
    }

    /**
     * Room for up to {@code capacity} rows of a split in direct memory, refilled in place, with the engine's
     * arrays made over it without a copy. A split of {@link ByteFeatures} is copied as its bytes and scaled in the
     * engine (uint8 to float, then divided: the values {@code read} gives, bit for bit), in about half the time of
     * a float written per value in Java (0.04 against 0.08-0.09 ms for a 64-image Fashion-MNIST batch, measured in
     * one run); the engine's float features of a full batch are made when it is filled (on the prefetching thread
     * where there is one) and handed to the manager of the step that reads them.
     */
    static final class Rows {
        private final ExampleSource examples;
        /** Null when the split is read as floats. */
        private final ByteFeatures bytes;
        private final float[] features;
        private final float[] targets;
        private final ByteBuffer featureBytes;
        private final ByteBuffer targetBytes;
        private final FloatBuffer featureFloats;
        private final FloatBuffer targetFloats;
        private final int capacity;
        /** Where the arrays of a full batch live, made once; null to make them for each read. */
        private final NDManager reused;
        private NDList full;
        /** Whether a full byte batch is scaled when it is filled, else when its step reads it. */
        private final boolean scaleWhileFilling;
        /** A full byte batch's features as floats, made when it is filled and handed to the step that reads it. */
        private NDArray scaledFull;
        private int count;

        Rows(ExampleSource examples, int capacity, NDManager reused, boolean scaleWhileFilling) {
            this.examples = examples;
            this.scaleWhileFilling = scaleWhileFilling;
            this.bytes = examples.byteFeatures().orElse(null);
            this.capacity = capacity;
            this.reused = reused;
            int values = Math.multiplyExact(capacity, examples.featureSize());
            this.features = bytes == null ? new float[values] : null;
            this.targets = new float[Math.multiplyExact(capacity, examples.targetSize())];
            this.featureBytes = ByteBuffer.allocateDirect(bytes == null ? Math.multiplyExact(values, Float.BYTES) : values)
                    .order(ByteOrder.nativeOrder());
            this.targetBytes = ByteBuffer.allocateDirect(targets.length * Float.BYTES).order(ByteOrder.nativeOrder());
            this.featureFloats = bytes == null ? featureBytes.asFloatBuffer() : null;
            this.targetFloats = targetBytes.asFloatBuffer();
        }

        /** Copies rows {@code order[start..end)} of the split ({@code start..end} when {@code order} is null). */
        void fill(int[] order, int start, int end) {
            count = end - start;
            int featureSize = examples.featureSize();
            int targetSize = examples.targetSize();
            if (bytes != null) {
                featureBytes.clear();
                for (int row = 0; row < count; row++) {
                    int example = order == null ? start + row : order[start + row];
                    featureBytes.position(row * featureSize);
                    bytes.readBytes(example, featureBytes, targets, row * targetSize);
                }
            } else {
                for (int row = 0; row < count; row++) {
                    int example = order == null ? start + row : order[start + row];
                    examples.read(example, features, row * featureSize, targets, row * targetSize);
                }
                featureFloats.clear();
                featureFloats.put(features, 0, count * featureSize);
            }
            targetFloats.clear();
            targetFloats.put(targets, 0, count * targetSize);
            if (bytes != null && reusable() && scaleWhileFilling) {
                // Scaled here, on the prefetching thread where there is one: off the training thread's path. The
                // arrays over the buffers are back in their own manager, the step that read them having ended.
                if (full == null) {
                    full = make(reused);
                }
                if (scaledFull != null) {
                    scaledFull.close(); // filled and never read: a run stopped between the two
                }
                scaledFull = full.get(0).div(bytes.divisor());
            }
        }

        /** Whether the rows last filled are a full batch read through the arrays made once over the buffers. */
        private boolean reusable() {
            // On a GPU the engine's arrays are copies of the buffers, not views of them: made for every batch there.
            return reused != null && count == capacity && !reused.getDevice().isGpu();
        }

        /**
         * (features, targets) of the rows last filled, as arrays over this memory: the reused ones when the rows fill
         * it, else new arrays of {@code manager}; a byte split's features are new arrays of {@code manager} always.
         */
        NDList arrays(NDManager manager) {
            if (reusable()) {
                if (full == null) {
                    full = make(reused);
                }
                // DJL puts an operation's result in its first operand's manager: the step's, for as long as it lasts.
                full.tempAttach(manager);
                if (bytes == null) {
                    return full;
                }
                if (scaledFull == null) {
                    return new NDList(scaled(full.get(0), manager), full.get(1));
                }
                NDArray features = scaledFull;
                scaledFull = null;
                features.attach(manager);
                return new NDList(features, full.get(1));
            }
            NDList made = make(manager);
            if (bytes == null) {
                return made;
            }
            try (NDArray raw = made.get(0)) {
                return new NDList(scaled(raw, manager), made.get(1));
            }
        }

        /** A byte split's features as floats, {@code b / divisor} each, in {@code manager}. */
        private NDArray scaled(NDArray raw, NDManager manager) {
            // True division of uint8 by a float scalar casts and divides in one float32 pass: one call, no copy.
            NDArray values = raw.div(bytes.divisor());
            values.attach(manager);
            return values;
        }

        private NDList make(NDManager manager) {
            Shape shape = new Shape(count).addAll(examples.featureShape());
            targetBytes.clear().limit(count * examples.targetSize() * Float.BYTES);
            NDArray x;
            if (bytes == null) {
                featureBytes.clear().limit(count * examples.featureSize() * Float.BYTES);
                x = manager.create(featureBytes, shape, DataType.FLOAT32);
            } else {
                featureBytes.clear().limit(count * examples.featureSize());
                x = manager.create(featureBytes, shape, DataType.UINT8);
            }
            NDArray y = manager.create(targetBytes, new Shape(count, examples.targetSize()), DataType.FLOAT32);
            return new NDList(x, y);
        }
    }
}

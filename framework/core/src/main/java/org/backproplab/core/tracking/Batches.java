package org.backproplab.core.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** Splits what goes to the server into requests within its per-request limits. */
final class Batches {

    private Batches() {}

    /** Consecutive chunks of at most {@code maxCount} items and about {@code maxBytes} estimated bytes each. */
    static <T> List<List<T>> split(List<T> items, int maxCount, int maxBytes, ToIntFunction<T> estimatedBytes) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> current = new ArrayList<>();
        long currentBytes = 0;
        for (T item : items) {
            int bytes = estimatedBytes.applyAsInt(item);
            if (!current.isEmpty() && (current.size() == maxCount || currentBytes + bytes > maxBytes)) {
                chunks.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(item);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** A generous estimate of the JSON size of a key/value pair (UTF-8 uses up to 3 bytes per UTF-16 unit). */
    static int estimatedBytes(String key, String value) {
        return 3 * (key.length() + value.length()) + 64;
    }
}

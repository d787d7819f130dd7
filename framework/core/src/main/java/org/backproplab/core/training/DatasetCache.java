package org.backproplab.core.training;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.backproplab.spi.Dataset;

/**
 * The datasets this process loaded, by their {@code dataset:} block and seed, so that the trials of a sweep (in
 * this process or in one worker) and its validation load each distinct dataset once. A dataset is read-only once
 * created (its examples are read into each batch), so trials can share it. Holds the last few only: each can be
 * large.
 */
@Singleton
public final class DatasetCache {

    /** Enough for a sweep that alternates between two datasets; more would hold memory for little. */
    private static final int KEPT = 2;

    private final Map<String, Dataset> datasets = new LinkedHashMap<>(4, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Dataset> eldest) {
            return size() > KEPT;
        }
    };

    @Inject
    public DatasetCache() {}

    /** The dataset of {@code key}, created by {@code create} the first time. */
    public synchronized Dataset get(String key, Supplier<Dataset> create) {
        Dataset dataset = datasets.get(key);
        if (dataset == null) {
            dataset = create.get();
            datasets.put(key, dataset);
        }
        return dataset;
    }
}

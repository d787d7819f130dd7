package org.backproplab.core.report;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One trained model of a report: a sweep trial or a single run.
 *
 * @param runId the id it was logged under
 * @param name a human-readable name (the run name), never {@code null}
 * @param status how it ended, e.g. {@code FINISHED} or {@code FAILED}
 * @param params its parameters by dotted path, e.g. {@code model.depth -> 4}
 * @param metrics the full history of every metric, ordered by step
 */
public record TrialData(
        String runId,
        String name,
        String status,
        Map<String, String> params,
        Map<String, List<MetricPoint>> metrics) {

    private static final Comparator<MetricPoint> BY_STEP = Comparator.comparingLong(MetricPoint::step);

    public TrialData {
        Objects.requireNonNull(runId, "runId");
        name = name == null || name.isBlank() ? runId : name;
        status = status == null ? "UNKNOWN" : status;
        params = Map.copyOf(params);
        // Sorted by step (stably, so values logged twice at one step keep their order): "first" and "last"
        // below then mean initialisation and end of training.
        Map<String, List<MetricPoint>> sorted = new LinkedHashMap<>();
        metrics.forEach((key, points) -> sorted.put(key, points.stream().sorted(BY_STEP).toList()));
        metrics = Collections.unmodifiableMap(sorted);
    }

    /** The value of parameter {@code key}, or {@code null} if the trial has none. */
    public String param(String key) {
        return params.get(key);
    }

    /** Every value logged for {@code key}, by step; empty if the metric was never logged. */
    public List<MetricPoint> history(String key) {
        return metrics.getOrDefault(key, List.of());
    }

    /** The value logged at the highest step (NaN if training diverged), or empty if never logged. */
    public Optional<MetricPoint> last(String key) {
        List<MetricPoint> history = history(key);
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
    }

    /** Whether the trial ended normally; failed or killed runs have no trustworthy final values. */
    public boolean finishedNormally() {
        return "FINISHED".equalsIgnoreCase(status);
    }
}

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
 * @param index its number in its sweep, from 1; 0 when it has none
 */
public record TrialData(
        String runId,
        String name,
        String status,
        Map<String, String> params,
        Map<String, List<MetricPoint>> metrics,
        int index) {

    /** The status of a sweep trial that its pruner stopped early (its run is FINISHED in MLflow). */
    public static final String PRUNED = "PRUNED";

    /** A trial without a number in a sweep. */
    public TrialData(String runId, String name, String status, Map<String, String> params,
            Map<String, List<MetricPoint>> metrics) {
        this(runId, name, status, params, metrics, 0);
    }

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

    /** Whether a pruner stopped it early: its values are real, but from before the end of its training. */
    public boolean pruned() {
        return PRUNED.equalsIgnoreCase(status);
    }

    /** Whether the trial ended normally; failed or killed runs have no trustworthy final values. */
    public boolean finishedNormally() {
        return "FINISHED".equalsIgnoreCase(status);
    }
}

package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingException;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;

/**
 * Reads a report's data from MLflow: a sweep's parent run with its child runs as trials, or a single run as the
 * only trial, each with the full history of every metric it logged.
 */
public final class MlflowReportSource {

    /** A sweep trial's tag saying why its pruner stopped it: the report shows it as {@link TrialData#PRUNED}. */
    public static final String PRUNED_TAG = "lab.pruned";
    /** A sweep trial's number, from 1. */
    public static final String TRIAL_INDEX_TAG = "lab.trial.index";

    /** Tags (or params) of the parent run naming the objective; {@code withObjective} overrides them. */
    public static final String OBJECTIVE_METRIC_TAG = "objective.metric";
    public static final String OBJECTIVE_MODE_TAG = "objective.mode";

    /** Metric histories read at once: MLflow's server runs 4 workers by default. */
    private static final int PARALLEL_READS = 4;

    private MlflowReportSource() {}

    /**
     * The trials of run {@code runId}: its child runs (tag {@code mlflow.parentRunId}) in the order they started,
     * or, if it has none, the run itself. The title is the run's name.
     *
     * @throws TrackingException if there is no such run or the server cannot be read
     */
    public static ReportData load(MlflowTracker tracker, String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9_-]+")) {
            // It goes into a search filter between quotes.
            throw new IllegalArgumentException("Not an MLflow run id: '" + runId + "'.");
        }
        Run run = tracker.getRun(runId);
        List<Run> children = tracker.searchRuns(run.getInfo().getExperimentId(),
                "tags." + MlflowTracker.PARENT_RUN_ID_TAG + " = '" + runId + "'");
        List<Run> trialRuns = children.isEmpty()
                ? List.of(run)
                : children.stream().sorted(Comparator.comparingLong((Run child) -> child.getInfo().getStartTime())
                        .thenComparing(MlflowReportSource::runName)).toList();
        Map<String, List<MetricPoint>> histories = histories(tracker, trialRuns);
        List<TrialData> trials = trialRuns.stream().map(trialRun -> trial(trialRun, histories)).toList();
        Map<String, String> labels = new LinkedHashMap<>(params(run));
        run.getData().getTagsList().forEach(tag -> labels.put(tag.getKey(), tag.getValue()));
        return new ReportData(runName(run), trials, labels.get(OBJECTIVE_METRIC_TAG), labels.get(OBJECTIVE_MODE_TAG));
    }

    /**
     * The full history of every metric of every run, by run id and key ({@link #historyKey}). data.metrics holds
     * only each key's latest value, so each key's history is read: in one call for many runs
     * ({@link MlflowTracker#metricHistories}), a few keys at a time, as MLflow's server answers several calls at once.
     */
    private static Map<String, List<MetricPoint>> histories(MlflowTracker tracker, List<Run> runs) {
        Map<String, List<String>> runsByKey = new LinkedHashMap<>();
        for (Run run : runs) {
            for (Metric latest : run.getData().getMetricsList()) { // one per key
                runsByKey.computeIfAbsent(latest.getKey(), key -> new ArrayList<>()).add(run.getInfo().getRunId());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_READS, runsByKey.size())));
        try {
            Map<String, Future<Map<String, List<Metric>>>> pending = new LinkedHashMap<>();
            runsByKey.forEach((key, runIds) -> pending.put(key, pool.submit(() -> tracker.metricHistories(runIds, key))));
            Map<String, List<MetricPoint>> histories = new HashMap<>();
            for (Map.Entry<String, Future<Map<String, List<Metric>>>> entry : pending.entrySet()) {
                result(entry.getValue()).forEach((runId, points) -> histories.put(historyKey(runId, entry.getKey()),
                        points.stream().map(metric -> new MetricPoint(metric.getStep(), restoredValue(metric.getValue())))
                                .toList()));
            }
            return histories;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T result(Future<T> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // e.g. a TrackingException that says what could not be read
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("Interrupted while reading metric histories from MLflow.", e);
        }
    }

    private static String historyKey(String runId, String metric) {
        return runId + "\n" + metric;
    }

    private static TrialData trial(Run run, Map<String, List<MetricPoint>> histories) {
        String runId = run.getInfo().getRunId();
        Map<String, List<MetricPoint>> metrics = new TreeMap<>();
        for (Metric latest : run.getData().getMetricsList()) {
            metrics.putIfAbsent(latest.getKey(), histories.get(historyKey(runId, latest.getKey())));
        }
        String status = run.getInfo().getStatus().name();
        if ("FINISHED".equals(status) && tag(run, PRUNED_TAG) != null) {
            status = TrialData.PRUNED;
        }
        String index = tag(run, TRIAL_INDEX_TAG);
        return new TrialData(runId, runName(run), status, params(run), metrics,
                index != null && index.matches("\\d{1,9}") ? Integer.parseInt(index) : 0);
    }

    private static String tag(Run run, String key) {
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(key))
                .map(org.mlflow.api.proto.Service.RunTag::getValue).findFirst().orElse(null);
    }

    /** MLflow's SQL store saves ±Infinity as ±Double.MAX_VALUE; a real gradient norm is never that large. */
    static double restoredValue(double value) {
        if (value == Double.MAX_VALUE) {
            return Double.POSITIVE_INFINITY;
        }
        return value == -Double.MAX_VALUE ? Double.NEGATIVE_INFINITY : value;
    }

    private static Map<String, String> params(Run run) {
        Map<String, String> params = new TreeMap<>();
        for (Param param : run.getData().getParamsList()) {
            params.put(param.getKey(), param.getValue());
        }
        return params;
    }

    private static String runName(Run run) {
        if (!run.getInfo().getRunName().isBlank()) {
            return run.getInfo().getRunName();
        }
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(MlflowTracker.RUN_NAME_TAG))
                .map(RunTag::getValue).findFirst().orElse(run.getInfo().getRunId());
    }
}

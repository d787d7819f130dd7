package org.backproplab.core.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;

/**
 * A connection to an MLflow tracking server: finds or creates experiments, starts runs and reads back what
 * runs hold. Every call goes over MLflow's REST API with connect and request timeouts ({@link TrackingTimeouts}):
 * the MLflow Java client has none, retries a 404 three times under a misleading "rate limit" warning, ignores
 * paging, and shells out to Python for artifacts. What runs log goes through their journal (see {@link RunLogger}).
 */
public final class MlflowTracker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String RUN_NAME_TAG = "mlflow.runName";
    public static final String PARENT_RUN_ID_TAG = "mlflow.parentRunId";
    static final String EXPERIMENT_KIND_TAG = "mlflow.experimentKind";

    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);
    static final String API = "/api/2.0/mlflow";
    private static final int HISTORY_PAGE_SIZE = 10_000;
    /** MLflow's bulk history read: at most 100 runs per call, and at most 25,000 points in an answer. */
    private static final String BULK_HISTORY = "/ajax-api/2.0/mlflow/metrics/get-history-bulk";
    static final int BULK_RUNS = 100;
    private static final int BULK_POINTS = 25_000;
    private static final int SEARCH_PAGE_SIZE = 1000;

    private final String trackingUri;
    private final MlflowRest rest;
    private final Map<String, String> experimentIds = new ConcurrentHashMap<>();
    private final List<JournalSender> senders = new CopyOnWriteArrayList<>();
    /** Names this server in journals: its URI, or the local store of the embedded server (whose port changes). */
    private volatile String target;

    private MlflowTracker(String trackingUri, MlflowRest rest) {
        this.trackingUri = trackingUri;
        this.rest = rest;
        this.target = trackingUri;
    }

    /**
     * Connects to the server at {@code trackingUri} after checking, with short timeouts, that it answers and
     * accepts the credentials; nothing is created on the server before that. Credentials written into the URI
     * ({@code http://user:password@host}) are used when {@code credentials} has none, and never shown: the
     * tracker's {@link #trackingUri()} is the URI without them.
     *
     * @throws TrackingException if the URI is not http(s), the server is unreachable or refuses the credentials
     */
    public static MlflowTracker connect(String trackingUri, MlflowCredentials credentials) {
        return connect(trackingUri, credentials, TrackingTimeouts.current());
    }

    /** {@link #connect(String, MlflowCredentials)} with these timeouts. */
    public static MlflowTracker connect(String trackingUri, MlflowCredentials credentials, TrackingTimeouts timeouts) {
        return connect(trackingUri, credentials, timeouts, null);
    }

    /**
     * {@link #connect(String, MlflowCredentials, TrackingTimeouts)}, with messages and logs that call the server
     * {@code name} instead of showing its address: where they are on show to others, as a Spark executor's output
     * is in the cluster's UI and work directories.
     *
     * @param name what messages call the server, e.g. "of the sweep"; {@code null}: its address
     */
    public static MlflowTracker connect(String trackingUri, MlflowCredentials credentials, TrackingTimeouts timeouts,
            String name) {
        String checked = TrackingTarget.checked(trackingUri, null);
        String uri = TrackingTarget.withoutCredentials(checked);
        MlflowCredentials effective = credentials.isPresent() ? credentials
                : TrackingTarget.credentialsIn(checked).orElse(credentials);
        MlflowRest rest = new MlflowRest(uri, name, effective, timeouts);
        rest.checkHealth(HEALTH_TIMEOUT.compareTo(timeouts.request()) < 0 ? HEALTH_TIMEOUT : timeouts.request());
        // /health is open even on servers with auth: check the credentials with a cheap read.
        rest.getJson(API + "/experiments/search", Map.of("max_results", "1"), "list experiments");
        return new MlflowTracker(uri, rest);
    }

    /** The credentials requests carry, e.g. to hand to a worker process through its environment. */
    public MlflowCredentials credentials() {
        return rest.credentials();
    }

    public TrackingTimeouts timeouts() {
        return rest.timeouts();
    }

    /**
     * Says that this server is the local one on {@code store}: journals then name the store, not the port, so
     * that {@code ./lab sync} finds the same runs on the next local server.
     */
    public MlflowTracker servingLocalStore(java.nio.file.Path store) {
        this.target = localTarget(store);
        return this;
    }

    static String localTarget(java.nio.file.Path store) {
        return "local:" + store.toAbsolutePath().normalize();
    }

    /** What journals call this server. */
    String target() {
        return target;
    }

    public String trackingUri() {
        return trackingUri;
    }

    /** How messages place this server: "at" its address, or the name it was connected with. */
    public String shownAs() {
        return rest.shownAs();
    }

    /**
     * The id of the experiment named {@code experimentName}, created if missing.
     *
     * @throws TrackingException if the experiment exists but was deleted (runs cannot be added to it)
     */
    public String experimentId(String experimentName) {
        if (experimentName == null || experimentName.isBlank()) {
            throw new TrackingException("An MLflow experiment name must not be empty.");
        }
        return experimentIds.computeIfAbsent(experimentName, this::findOrCreateExperiment);
    }

    /** The experiment named {@code experimentName}, deleted ones included. REST: the client retries the 404. */
    public Optional<Experiment> findExperiment(String experimentName) {
        return rest.getJson(API + "/experiments/get-by-name", Map.of("experiment_name", experimentName),
                        "look up experiment '" + experimentName + "'")
                .map(json -> ProtoJson.parse(json, Service.GetExperimentByName.Response.newBuilder(),
                        "experiments/get-by-name").getExperiment());
    }

    /**
     * Starts a run, named and tagged at creation so that it never shows up unnamed.
     *
     * @param runName the run's name; {@code null} lets MLflow pick one
     * @param tags extra tags (validated like {@link RunLogger#setTags}); {@code null} for none
     * @param parentRunId the run this one nests under in the UI ({@code mlflow.parentRunId}); {@code null} if none
     */
    public RunLogger startRun(String experimentName, String runName, Map<String, String> tags, String parentRunId) {
        String experimentId = experimentId(experimentName);
        Map<String, String> allTags = tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags);
        boolean named = runName != null && !runName.isBlank();
        if (named) {
            allTags.put(RUN_NAME_TAG, runName);
        }
        if (parentRunId != null) {
            allTags.put(PARENT_RUN_ID_TAG, parentRunId);
        }
        long startTime = System.currentTimeMillis();
        RunInfo info = createRun(experimentId, experimentName, named ? runName : null, startTime, allTags);
        ObjectNode header = RunJournal.JSON.createObjectNode()
                .put("experiment_name", experimentName)
                .put("run_name", named ? runName : null)
                .put("start_time", startTime);
        header.set("tags", RunJournal.JSON.valueToTree(allTags));
        return openLogger(info, header);
    }

    RunInfo createRun(String experimentId, String experimentName, String runName, long startTime, Map<String, String> tags) {
        CreateRun.Builder request = CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setStartTime(startTime)
                .addAllTags(RunLogger.toRunTags(tags));
        if (runName != null) {
            request.setRunName(runName);
        }
        String what = "create a run in experiment '" + experimentName + "'";
        String json = rest.postJson(API + "/runs/create", ProtoJson.print(request.build()), what);
        return ProtoJson.parse(json, CreateRun.Response.newBuilder(), "runs/create").getRun().getInfo();
    }

    private RunLogger openLogger(RunInfo info, ObjectNode header) {
        header.put("tracking_uri", trackingUri)
                .put("target", target)
                .put("experiment_id", info.getExperimentId())
                .put("run_id", info.getRunId())
                .put("artifact_uri", info.getArtifactUri());
        RunJournal journal = RunJournal.create(header, info.getRunId());
        RunLogger logger = new RunLogger(this, info, journal);
        senders.add(logger.sender());
        return logger;
    }

    /**
     * A logger for a run that already exists: a sweep's parent run when the sweep resumes, or a trial whose worker
     * process died before ending its run. Nothing is buffered for it yet.
     *
     * @param reopen whether to mark the run RUNNING again until {@link RunLogger#finish} ends it anew
     * @throws TrackingException if there is no such run
     */
    public RunLogger attachRun(String runId, boolean reopen) {
        if (runId == null || !runId.matches("[A-Za-z0-9_-]+")) {
            throw new TrackingException("Not an MLflow run id: '" + runId + "'.");
        }
        Run run = getRun(runId);
        if (reopen) {
            // REST: the client's setTerminated always sends an end time, which a running run must not have.
            ObjectNode body = RunJournal.JSON.createObjectNode().put("run_id", runId).put("status", "RUNNING");
            rest.postJson(API + "/runs/update", body.toString(), "reopen run " + runId);
        }
        return openLogger(run.getInfo(), RunJournal.JSON.createObjectNode());
    }

    /** Sets one tag now, not through the journal: for a sweep's lease, which must be on the server to count. */
    public void setTagNow(String runId, String key, String value) {
        MlflowLimits.checkTag(key, value);
        String body = ProtoJson.print(Service.SetTag.newBuilder().setRunId(runId).setKey(key).setValue(value).build());
        rest.postIdempotentJson(API + "/runs/set-tag", body, "set tag " + key + " on run " + runId);
    }

    /**
     * Deletes a run now (MLflow keeps it in its trash, hidden from searches): for a sweep parent that lost the race
     * to start a sweep, so the sweep keeps one parent.
     */
    public void deleteRun(String runId) {
        ObjectNode body = RunJournal.JSON.createObjectNode().put("run_id", runId);
        rest.postJson(API + "/runs/delete", body.toString(), "delete run " + runId);
    }

    /** One log-batch request, within MLflow's limits per request. */
    void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        String body = ProtoJson.print(Service.LogBatch.newBuilder().setRunId(runId)
                .addAllMetrics(metrics).addAllParams(params).addAllTags(tags).build());
        String what = metrics.isEmpty() ? params.isEmpty() ? "set tags on run " + runId : "log params to run " + runId
                : "log metrics to run " + runId;
        rest.postJson(API + "/runs/log-batch", body, what);
    }

    /** Ends a run with {@code status} at {@code endTime}. */
    void endRun(String runId, RunStatus status, long endTime) {
        String body = ProtoJson.print(Service.UpdateRun.newBuilder().setRunId(runId).setStatus(status.proto())
                .setEndTime(endTime).build());
        rest.postIdempotentJson(API + "/runs/update", body, "end run " + runId);
    }

    /** Uploads {@code content} as {@code relativePath} of the run whose artifacts live at {@code artifactUri}. */
    void uploadArtifact(String runId, String artifactUri, String relativePath, byte[] content) {
        String root = ArtifactPaths.proxiedRoot(artifactUri, runId, shownAs());
        String what = "upload artifact " + relativePath + " of run " + runId;
        HttpRequest request = rest.request(ArtifactPaths.endpointPath(root, relativePath), rest.timeouts().transfer())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        rest.requireSuccess(rest.send(request, what), what);
    }

    /** The senders of the runs started or attached here. */
    List<JournalSender> senders() {
        return senders;
    }

    /**
     * Waits, at most the flush timeout in all, until every run logged here has reached the server, then stops
     * sending: what is still unsent stays in the runs' journals, for {@code ./lab sync}.
     *
     * @return the runs with records still unsent; empty when everything arrived
     */
    public List<Backlog> finishSending() {
        long deadline = System.nanoTime() + rest.timeouts().flush().toNanos();
        List<Backlog> left = new ArrayList<>();
        for (JournalSender sender : senders) {
            sender.awaitDrained(deadline);
        }
        for (JournalSender sender : senders) {
            sender.stop();
            sender.backlog().ifPresent(left::add);
            senders.remove(sender);
        }
        return left;
    }

    /** The run with id {@code runId}, if it exists. REST: the client retries the 404. */
    public Optional<Run> findRun(String runId) {
        return rest.getJson(API + "/runs/get", Map.of("run_id", runId), "read run " + runId)
                .map(json -> ProtoJson.parse(json, Service.GetRun.Response.newBuilder(), "runs/get").getRun());
    }

    /** @throws TrackingException if there is no such run */
    public Run getRun(String runId) {
        return findRun(runId).orElseThrow(
                () -> new TrackingException("MLflow server " + shownAs() + " has no run " + runId + "."));
    }

    /**
     * The active runs of an experiment matching {@code filter}, e.g. {@code tags.mlflow.parentRunId = '...'},
     * newest first; all pages.
     *
     * @param filter MLflow search syntax; {@code null} or blank for all runs
     */
    public List<Run> searchRuns(String experimentId, String filter) {
        String query = filter == null ? "" : filter;
        String what = "search runs of experiment " + experimentId;
        List<Run> runs = new ArrayList<>();
        String pageToken = "";
        do {
            Service.SearchRuns.Builder request = Service.SearchRuns.newBuilder().addExperimentIds(experimentId)
                    .setFilter(query).setRunViewType(ViewType.ACTIVE_ONLY).setMaxResults(SEARCH_PAGE_SIZE);
            if (!pageToken.isEmpty()) {
                request.setPageToken(pageToken);
            }
            String json = rest.postIdempotentJson(API + "/runs/search", ProtoJson.print(request.build()), what);
            Service.SearchRuns.Response page = ProtoJson.parse(json, Service.SearchRuns.Response.newBuilder(),
                    "runs/search").build();
            runs.addAll(page.getRunsList());
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return runs;
    }

    /**
     * Every value logged for metric {@code key} of a run, as the server orders them (by time, then step). REST
     * with paging: the client's getMetricHistory ignores {@code next_page_token}.
     */
    public List<Metric> metricHistory(String runId, String key) {
        return metricHistory(runId, key, HISTORY_PAGE_SIZE);
    }

    /**
     * The full history of metric {@code key} of each of {@code runIds}, by run id (empty for a run without it): one
     * call per {@value #BULK_RUNS} runs through the server's bulk read (the one its UI's charts use), else, on a
     * server without it, one per run. A bulk answer holding as many points as the server returns at most may have been
     * cut short: those runs are read again one by one, so that no point is missing.
     */
    public Map<String, List<Metric>> metricHistories(List<String> runIds, String key) {
        return metricHistories(runIds, key, BULK_POINTS);
    }

    /** As {@link #metricHistories(List, String)}, asking for at most {@code maxPoints} points per bulk answer. */
    Map<String, List<Metric>> metricHistories(List<String> runIds, String key, int maxPoints) {
        Map<String, List<Metric>> histories = new LinkedHashMap<>();
        for (int from = 0; from < runIds.size(); from += BULK_RUNS) {
            List<String> batch = runIds.subList(from, Math.min(runIds.size(), from + BULK_RUNS));
            List<Map.Entry<String, String>> query = new ArrayList<>();
            batch.forEach(runId -> query.add(Map.entry("run_id", runId)));
            query.add(Map.entry("metric_key", key));
            query.add(Map.entry("max_results", Integer.toString(maxPoints)));
            String what = "read metric " + key + " of " + batch.size() + " runs";
            Optional<Map<String, List<Metric>>> read = rest.getJson(BULK_HISTORY, query, what)
                    .map(json -> ProtoJson.bulkMetrics(json, what));
            boolean complete = read.isPresent() && read.get().values().stream().mapToInt(List::size).sum() < maxPoints;
            for (String runId : batch) {
                histories.put(runId, complete ? read.get().getOrDefault(runId, List.of()) : metricHistory(runId, key));
            }
        }
        return histories;
    }

    List<Metric> metricHistory(String runId, String key, int pageSize) {
        List<Metric> history = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("metric_key", key);
            query.put("max_results", Integer.toString(pageSize));
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            String json = rest.getJson(API + "/metrics/get-history", query, "read metric " + key + " of run " + runId)
                    .orElseThrow(() -> new TrackingException("MLflow server " + shownAs() + " has no run "
                            + runId + "."));
            Service.GetMetricHistory.Response page =
                    ProtoJson.parse(json, Service.GetMetricHistory.Response.newBuilder(), "metrics/get-history")
                            .build();
            history.addAll(page.getMetricsList());
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return history;
    }

    /**
     * The artifacts directly in {@code path} of a run ({@code ""} for the root), as paths relative to the run's
     * artifact root; directories end with {@code /}. REST: the client's listArtifacts needs Python.
     */
    public List<String> listArtifacts(String runId, String path) {
        List<String> paths = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            String directory = ArtifactPaths.normalizedDirectory(path);
            if (!directory.isEmpty()) {
                query.put("path", directory);
            }
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            String json = rest.getJson(API + "/artifacts/list", query, "list artifacts of run " + runId)
                    .orElseThrow(() -> new TrackingException("MLflow server " + shownAs() + " has no run "
                            + runId + "."));
            Service.ListArtifacts.Response page =
                    ProtoJson.parse(json, Service.ListArtifacts.Response.newBuilder(), "artifacts/list").build();
            page.getFilesList().forEach(file -> paths.add(file.getPath() + (file.getIsDir() ? "/" : "")));
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return paths;
    }

    /**
     * The content of artifact {@code artifactPath} (relative to the run's artifact root) of a run.
     *
     * @throws TrackingException if there is no such artifact or the server does not serve artifacts
     */
    public byte[] downloadArtifact(String runId, String artifactPath) {
        Run run = getRun(runId);
        String root = ArtifactPaths.proxiedRoot(run.getInfo().getArtifactUri(), runId, shownAs());
        String what = "download artifact " + artifactPath + " of run " + runId;
        HttpRequest request = rest.request(ArtifactPaths.endpointPath(root, artifactPath), rest.timeouts().transfer())
                .GET()
                .build();
        MlflowRest.Answer answer = rest.send(request, what);
        if (answer.status() == 404) {
            throw new TrackingException("MLflow run " + runId + " has no artifact '" + artifactPath + "'.");
        }
        return rest.requireSuccess(answer, what).body();
    }

    /**
     * Records the dataset a run trained on as an MLflow input ({@code runs/log-inputs}, the REST side of the Python
     * client's {@code log_input}), shown in the run's <i>Datasets</i> column and page, with context {@code training}.
     *
     * @param name the dataset's name, e.g. its type
     * @param digest a short hash that tells two versions of it apart
     * @param sourceType where it came from, e.g. {@code local} or {@code code} (generated)
     * @param source a JSON object that says where, e.g. {@code {"uri": "/usr/share/datasets/fashion-mnist"}}
     */
    public void logDatasetInput(String runId, String name, String digest, String sourceType, String source) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        ObjectNode input = body.putArray("datasets").addObject();
        input.putObject("dataset").put("name", name).put("digest", digest).put("source_type", sourceType)
                .put("source", source);
        input.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", "training");
        String what = "log the dataset input of run " + runId;
        HttpRequest request = rest.request(API + "/runs/log-inputs", rest.timeouts().request())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        rest.requireSuccess(rest.send(request, what), what);
    }

    /** {@link #finishSending()}, if not done already: finish runs first. */
    @Override
    public void close() {
        if (!senders.isEmpty()) {
            finishSending();
        }
    }

    @Override
    public String toString() {
        return "MlflowTracker[" + trackingUri + "]";
    }

    private String findOrCreateExperiment(String name) {
        Optional<Experiment> existing = findExperiment(name);
        if (existing.isEmpty()) {
            try {
                String json = rest.postJson(API + "/experiments/create",
                        ProtoJson.print(Service.CreateExperiment.newBuilder().setName(name).build()),
                        "create experiment '" + name + "'");
                String id = ProtoJson.parse(json, Service.CreateExperiment.Response.newBuilder(), "experiments/create")
                        .getExperimentId();
                // MLflow 3's UI shows untagged experiments as GenAI apps; these are model training.
                rest.postJson(API + "/experiments/set-experiment-tag", ProtoJson.print(Service.SetExperimentTag.newBuilder()
                        .setExperimentId(id).setKey(EXPERIMENT_KIND_TAG).setValue("custom_model_development").build()),
                        "tag experiment '" + name + "'");
                return id;
            } catch (TrackingException e) {
                // Another process may have created it in between.
                existing = findExperiment(name);
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        Experiment experiment = existing.get();
        if ("deleted".equals(experiment.getLifecycleStage())) {
            throw new TrackingException("MLflow experiment '" + name + "' (id " + experiment.getExperimentId()
                    + ") is deleted on " + trackingUri + ": restore it (mlflow experiments restore --experiment-id "
                    + experiment.getExperimentId() + ") or use another name.");
        }
        return experiment.getExperimentId();
    }
}

package org.backproplab.core.tracking;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/**
 * Logs to one MLflow run, from {@link MlflowTracker#startRun}. Params and tags are sent at once; metrics are
 * buffered and sent in batches by a background thread (see {@link #logMetric}). Closing finishes the run as
 * {@link RunStatus#FINISHED} unless {@link #finish} was called. Safe for use from several threads.
 */
public final class RunLogger implements AutoCloseable {

    private final MlflowClient client;
    private final MlflowRest rest;
    private final ClientCalls calls;
    private final RunInfo info;
    private final MetricSender metrics;
    private final Set<String> checkedMetricKeys = ConcurrentHashMap.newKeySet();
    private volatile boolean finished;

    RunLogger(MlflowClient client, MlflowRest rest, ClientCalls calls, String trackingUri, RunInfo info) {
        this.client = client;
        this.rest = rest;
        this.calls = calls;
        this.info = info;
        this.metrics = new MetricSender(info.getRunId(), trackingUri,
                batch -> calls.run("log metrics to run " + info.getRunId(),
                        () -> client.logBatch(info.getRunId(), batch, List.of(), List.of())));
    }

    public String runId() {
        return info.getRunId();
    }

    public String experimentId() {
        return info.getExperimentId();
    }

    /** Where MLflow keeps this run's artifacts, e.g. {@code mlflow-artifacts:/1/<runId>/artifacts}. */
    public String artifactUri() {
        return info.getArtifactUri();
    }

    /**
     * Logs params, at most 100 per request. MLflow keeps a param's first value: logging it again with another
     * value is refused.
     *
     * @throws TrackingException naming the key if a name is invalid or a value is longer than 6000 characters
     *     (MLflow would otherwise refuse or cut it)
     */
    public void logParams(Map<String, String> params) {
        requireRunning();
        List<Param> list = new ArrayList<>(params.size());
        params.forEach((key, value) -> {
            MlflowLimits.checkParam(key, value);
            list.add(Param.newBuilder().setKey(key).setValue(value).build());
        });
        for (List<Param> chunk : Batches.split(list, MlflowLimits.MAX_PARAMS_PER_BATCH, MlflowLimits.MAX_BATCH_BYTES,
                param -> Batches.estimatedBytes(param.getKey(), param.getValue()))) {
            calls.run("log params to run " + runId(), () -> client.logBatch(runId(), List.of(), chunk, List.of()));
        }
    }

    /**
     * Sets tags (overwriting earlier values), at most 100 per request.
     *
     * @throws TrackingException naming the key if a name is invalid or a value is longer than 8000 characters
     */
    public void setTags(Map<String, String> tags) {
        requireRunning();
        List<RunTag> list = toRunTags(tags);
        for (List<RunTag> chunk : Batches.split(list, MlflowLimits.MAX_TAGS_PER_BATCH, MlflowLimits.MAX_BATCH_BYTES,
                tag -> Batches.estimatedBytes(tag.getKey(), tag.getValue()))) {
            calls.run("set tags on run " + runId(), () -> client.logBatch(runId(), List.of(), List.of(), chunk));
        }
    }

    /**
     * Queues a metric value for {@code step} and returns at once; a background thread sends it within about a
     * second. NaN and ±Infinity are accepted (MLflow's SQL store keeps NaN and stores ±Infinity as ±Double.MAX_VALUE).
     * A send failure is not lost: {@link #flush()} and {@link #finish} throw it.
     *
     * @throws TrackingException if the key is not a valid MLflow name
     */
    public void logMetric(String key, double value, long step) {
        requireRunning();
        if (!checkedMetricKeys.contains(key)) {
            MlflowLimits.checkKey("metric", key);
            checkedMetricKeys.add(key);
        }
        metrics.add(Metric.newBuilder()
                .setKey(key)
                .setValue(value)
                .setTimestamp(System.currentTimeMillis())
                .setStep(step)
                .build());
    }

    /** Blocks until every metric logged so far has reached the server; throws the first send failure if any. */
    public void flush() {
        metrics.flush();
    }

    /**
     * Uploads {@code content} as {@code artifactDirectory/fileName} of this run ({@code ""} for the root).
     *
     * @throws TrackingException if the server does not serve artifacts or refuses the upload
     */
    public void logArtifact(String artifactDirectory, String fileName, byte[] content) {
        upload(ArtifactPaths.join(artifactDirectory, fileName), HttpRequest.BodyPublishers.ofByteArray(content));
    }

    /** Uploads {@code file} under its own name into {@code artifactDirectory} ({@code ""} for the root). */
    public void logArtifact(String artifactDirectory, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TrackingException("Cannot log artifact " + file + ": not a readable file.");
        }
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new TrackingException("Cannot log artifact " + file + ": not a readable file.", e);
        }
        upload(ArtifactPaths.join(artifactDirectory, file.getFileName().toString()), body);
    }

    /**
     * Sends the buffered metrics, then ends the run with {@code status} and the current time. Later calls do
     * nothing. The run is always ended: if metrics could not be sent, it is ended as FAILED (unless KILLED was
     * asked) and the send error is thrown.
     */
    public void finish(RunStatus status) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        TrackingException failure = null;
        try {
            metrics.close();
        } catch (TrackingException e) {
            failure = e;
        }
        RunStatus ending = failure != null && status == RunStatus.FINISHED ? RunStatus.FAILED : status;
        try {
            calls.run("end run " + runId(),
                    () -> client.setTerminated(runId(), ending.proto(), System.currentTimeMillis()));
        } catch (TrackingException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public boolean isFinished() {
        return finished;
    }

    /** {@link #finish finish(FINISHED)} unless the run was finished already. */
    @Override
    public void close() {
        finish(RunStatus.FINISHED);
    }

    @Override
    public String toString() {
        return "RunLogger[run " + runId() + ", experiment " + experimentId() + "]";
    }

    static List<RunTag> toRunTags(Map<String, String> tags) {
        List<RunTag> list = new ArrayList<>(tags.size());
        tags.forEach((key, value) -> {
            MlflowLimits.checkTag(key, value);
            list.add(RunTag.newBuilder().setKey(key).setValue(value).build());
        });
        return list;
    }

    private void upload(String relativePath, HttpRequest.BodyPublisher body) {
        requireRunning();
        String root = ArtifactPaths.proxiedRoot(artifactUri(), runId(), rest.baseUri());
        String what = "upload artifact " + relativePath + " of run " + runId();
        HttpRequest request = rest.request(ArtifactPaths.endpointPath(root, relativePath), MlflowRest.TRANSFER_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(body)
                .build();
        rest.requireSuccess(rest.send(request, what), what);
    }

    private void requireRunning() {
        if (finished) {
            throw new TrackingException("MLflow run " + runId() + " is already finished; nothing more can be logged"
                    + " to it.");
        }
    }
}

package org.backproplab.core.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;

/**
 * Logs to one MLflow run, from {@link MlflowTracker#startRun}. Every call checks its values against MLflow's
 * rules, appends them to the run's local journal and returns: a background sender delivers them in order, and
 * keeps trying while the server is down or slow, so training never waits for MLflow nor stops because of it.
 * {@link #finish} records the final status and waits, at most the flush timeout, for the backlog; what is still
 * unsent then stays in the journal for {@code ./lab sync}. Safe for use from several threads.
 */
public final class RunLogger implements AutoCloseable {

    private final MlflowTracker tracker;
    private final RunInfo info;
    private final RunJournal journal;
    private final JournalSender sender;
    private final Set<String> checkedMetricKeys = ConcurrentHashMap.newKeySet();
    private volatile boolean finished;

    RunLogger(MlflowTracker tracker, RunInfo info, RunJournal journal) {
        this.tracker = tracker;
        this.info = info;
        this.journal = journal;
        ObjectNode progress = journal.progress(tracker.target()).orElseGet(() -> RunJournal.JSON.createObjectNode()
                .put("run_id", info.getRunId())
                .put("artifact_uri", info.getArtifactUri())
                .put("sent", 0));
        journal.saveProgress(tracker.target(), progress);
        this.sender = new JournalSender(journal, tracker, info.getRunId(), info.getArtifactUri(), progress);
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
     * Logs params. MLflow keeps a param's first value: one logged again with another value is refused by the
     * server, and skipped with a warning.
     *
     * @throws TrackingException naming the key if a name is invalid or a value is longer than 6000 characters
     *     (MLflow would otherwise refuse or cut it)
     */
    public void logParams(Map<String, String> params) {
        requireRunning();
        params.forEach(MlflowLimits::checkParam);
        params.forEach(journal::param);
        sender.wake(true);
    }

    /**
     * Sets tags (overwriting earlier values).
     *
     * @throws TrackingException naming the key if a name is invalid or a value is longer than 8000 characters
     */
    public void setTags(Map<String, String> tags) {
        requireRunning();
        tags.forEach(MlflowLimits::checkTag);
        tags.forEach(journal::tag);
        sender.wake(false);
    }

    /**
     * Records a metric value for {@code step}, measured now, and returns at once; the sender delivers it within
     * about a second when the server answers. NaN and ±Infinity are accepted (MLflow's SQL store keeps NaN and
     * stores ±Infinity as ±Double.MAX_VALUE).
     *
     * @throws TrackingException if the key is not a valid MLflow name
     */
    public void logMetric(String key, double value, long step) {
        requireRunning();
        if (!checkedMetricKeys.contains(key)) {
            MlflowLimits.checkKey("metric", key);
            checkedMetricKeys.add(key);
        }
        journal.metric(key, value, System.currentTimeMillis(), step);
    }

    /**
     * Waits, at most the flush timeout, until everything logged so far has reached the server.
     *
     * @return whether it all did
     */
    public boolean flush() {
        return sender.awaitDrained(System.nanoTime() + tracker.timeouts().flush().toNanos());
    }

    /**
     * Uploads {@code content} as {@code artifactDirectory/fileName} of this run ({@code ""} for the root).
     *
     * @throws TrackingException if the server does not serve artifacts, so no upload could ever succeed
     */
    public void logArtifact(String artifactDirectory, String fileName, byte[] content) {
        requireRunning();
        String path = ArtifactPaths.join(artifactDirectory, fileName);
        ArtifactPaths.proxiedRoot(artifactUri(), runId(), tracker.shownAs()); // fails now, not in the sender
        journal.artifact(path, content);
        sender.wake(true);
    }

    /**
     * Records the run's dataset as an MLflow input (the run page's Datasets): {@code name}, a {@code digest} of what
     * makes it, the {@code sourceType} and {@code source} (e.g. its settings as JSON). Sent in the background as the
     * other records are; a server that refuses it costs a warning, not the run.
     */
    public void logDatasetInput(String name, String digest, String sourceType, String source) {
        requireRunning();
        journal.input(name, digest, sourceType, source);
        sender.wake(true);
    }

    /** Uploads {@code file} under its own name into {@code artifactDirectory} ({@code ""} for the root). */
    public void logArtifact(String artifactDirectory, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TrackingException("Cannot log artifact " + file + ": not a readable file.");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TrackingException("Cannot log artifact " + file + ": " + e.getMessage(), e);
        }
        logArtifact(artifactDirectory, file.getFileName().toString(), content);
    }

    /**
     * Ends the run with {@code status} and the current time, then waits, at most the flush timeout, for the
     * backlog to reach the server. Later calls do nothing. Never fails because of the server: the status is
     * what the caller decided, and whatever could not be sent stays in the journal.
     */
    public void finish(RunStatus status) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            journal.end(status, System.currentTimeMillis());
        }
        flush();
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
        return "RunLogger[run " + runId() + ", experiment " + experimentId() + ", " + journal + "]";
    }

    JournalSender sender() {
        return sender;
    }

    static List<RunTag> toRunTags(Map<String, String> tags) {
        List<RunTag> list = new ArrayList<>(tags.size());
        tags.forEach((key, value) -> {
            MlflowLimits.checkTag(key, value);
            list.add(RunTag.newBuilder().setKey(key).setValue(value).build());
        });
        return list;
    }

    private void requireRunning() {
        if (finished) {
            throw new TrackingException("MLflow run " + runId() + " is already finished; nothing more can be logged"
                    + " to it.");
        }
    }
}

package org.backproplab.core.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * {@code ./lab sync}: replays the journals that runs left unsent (the server was down or stalled when their
 * command ended, or the command was killed) to their server, or to another one, where each becomes a new run and
 * the journal records which (so a second sync goes on with it).
 */
public final class JournalSync {

    private JournalSync() {}

    /**
     * A run's journal waiting to be sent.
     *
     * @param directory its folder
     * @param runId the run it was written for
     * @param target the server it was written for: a URI, or {@code local:STORE} for the local server on STORE
     * @param trackingUri the URI that server had
     * @param startTime the run's start, for ordering (parents before their trials)
     */
    public record Pending(Path directory, String runId, String target, String trackingUri, long startTime) {

        /** The local store of the server it was written for, if that was the local server. */
        public Optional<Path> localStore() {
            return target.startsWith("local:") ? Optional.of(Path.of(target.substring("local:".length()))) : Optional.empty();
        }
    }

    /**
     * What a sync of one journal did.
     *
     * @param targetRunId the run it went to, on the target
     * @param created whether that run was created by this sync (another server)
     * @param sent records sent now
     * @param backlog what is still unsent; empty when the journal is complete (and deleted)
     */
    public record Outcome(Pending journal, String targetRunId, boolean created, long sent, Optional<Backlog> backlog) {}

    /** Every journal under the journal folder, runs started first first. */
    public static List<Pending> pending() {
        List<Pending> found = new ArrayList<>();
        for (Path directory : RunJournal.all()) {
            header(directory).ifPresent(header -> found.add(new Pending(directory, header.path("run_id").asText(),
                    header.path("target").asText(header.path("tracking_uri").asText()),
                    header.path("tracking_uri").asText(), header.path("start_time").asLong(0))));
        }
        found.sort(Comparator.comparingLong(Pending::startTime));
        return found;
    }

    /** The folder holding the journals, for messages. */
    public static Path folder() {
        return RunJournal.root();
    }

    /**
     * Sends what {@code journal} holds and {@code tracker}'s server lacks, waiting at most the tracker's flush
     * timeout.
     *
     * @param mappedRuns the runs created on this target by earlier syncs, by original run id (parents of trials)
     * @throws TrackingException if the journal is in use by a running command, or cannot go to another server
     */
    public static Outcome sync(Pending pending, MlflowTracker tracker, Map<String, String> mappedRuns) {
        RunJournal journal = RunJournal.open(pending.directory(), false).orElseThrow(() -> new TrackingException(
                "The journal of run " + pending.runId() + " (" + pending.directory() + ") is in use by a running ./lab;"
                        + " it sends the run itself."));
        try {
            ObjectNode header = journal.header();
            boolean created = false;
            ObjectNode progress = journal.progress(tracker.target()).orElse(null);
            if (progress == null && isSameServer(header, tracker)) {
                progress = RunJournal.JSON.createObjectNode().put("run_id", pending.runId())
                        .put("artifact_uri", header.path("artifact_uri").asText()).put("sent", 0);
            }
            if (progress == null) {
                progress = createElsewhere(header, tracker, mappedRuns);
                created = true;
                journal.saveProgress(tracker.target(), progress); // the mapping first: a later sync goes on with it
            }
            long before = progress.path("sent").asLong();
            String runId = progress.path("run_id").asText();
            JournalSender sender = new JournalSender(journal, tracker, runId, progress.path("artifact_uri").asText(), progress);
            sender.awaitDrained(System.nanoTime() + tracker.timeouts().flush().toNanos());
            sender.stop();
            long after = journal.progress(tracker.target()).map(state -> state.path("sent").asLong()).orElse(before);
            mappedRuns.put(pending.runId(), runId);
            return new Outcome(pending, runId, created, Math.max(0, after - before), sender.backlog());
        } finally {
            journal.close();
        }
    }

    private static boolean isSameServer(ObjectNode header, MlflowTracker tracker) {
        return tracker.target().equals(header.path("target").asText())
                || tracker.trackingUri().equals(header.path("tracking_uri").asText());
    }

    /** A new run on the tracker's server for the journal's run, named and tagged as it was. */
    private static ObjectNode createElsewhere(ObjectNode header, MlflowTracker tracker, Map<String, String> mappedRuns) {
        String runId = header.path("run_id").asText();
        if (!header.hasNonNull("experiment_name")) {
            throw new TrackingException("Run " + runId + " was not started by this journal (it was reopened), so it can"
                    + " only go to its own server, " + TrackingTarget.redact(header.path("tracking_uri").asText()) + ".");
        }
        String experimentName = header.path("experiment_name").asText();
        Map<String, String> tags = new LinkedHashMap<>();
        header.path("tags").fields().forEachRemaining(entry -> tags.put(entry.getKey(), entry.getValue().asText()));
        String parent = tags.get(MlflowTracker.PARENT_RUN_ID_TAG);
        if (parent != null && mappedRuns.containsKey(parent)) {
            tags.put(MlflowTracker.PARENT_RUN_ID_TAG, mappedRuns.get(parent));
        }
        tags.put("lab.synced_from", runId + " on " + TrackingTarget.redact(header.path("tracking_uri").asText()));
        String runName = header.hasNonNull("run_name") ? header.path("run_name").asText() : null;
        RunInfo info = tracker.createRun(tracker.experimentId(experimentName), experimentName, runName,
                header.path("start_time").asLong(System.currentTimeMillis()), tags);
        return RunJournal.JSON.createObjectNode().put("run_id", info.getRunId())
                .put("artifact_uri", info.getArtifactUri()).put("sent", 0);
    }

    private static Optional<JsonNode> header(Path directory) {
        try (BufferedReader reader = Files.newBufferedReader(directory.resolve(RunJournal.JOURNAL_FILE), StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            if (first == null) {
                return Optional.empty();
            }
            JsonNode header = RunJournal.JSON.readTree(first);
            return "run".equals(header.path("k").asText()) ? Optional.of(header) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

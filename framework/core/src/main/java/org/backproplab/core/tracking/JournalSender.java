package org.backproplab.core.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a {@link RunJournal} to one MLflow server from a daemon thread, in the journal's order: consecutive
 * params, tags and metric points go in one log-batch request within MLflow's limits (1000 metrics, 100 params,
 * 100 tags), artifacts and the final status one request each. A request that fails for want of a server (refused
 * connection, timeout, HTTP 5xx) is tried again, with exponential backoff, until it succeeds or the sender is
 * stopped; training never waits for it. Resending is harmless: a point carries the timestamp it was measured at,
 * and MLflow keeps one copy of identical points; params are resent with the same value, tags and artifacts are
 * overwritten with the same content. A record the server refuses as invalid is skipped (with a warning), alone:
 * a refused batch is split until the culprit is found. After each request the journal's progress file records how
 * far the target got, so a later {@code ./lab sync} goes on from there.
 */
final class JournalSender {

    static final Duration SEND_INTERVAL = Duration.ofSeconds(1);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    /** Records read from the journal at once: at least one full request. */
    private static final int READ_AHEAD = 1200;

    private static final Logger LOG = LoggerFactory.getLogger(JournalSender.class);

    private final RunJournal journal;
    private final MlflowTracker tracker;
    private final String runId;
    private final String artifactUri;
    private final ObjectNode progress;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition sentMore = lock.newCondition();
    /** Records the server has (or refused for good). */
    private long sent;
    private long rejected;
    private boolean ended;
    private boolean urgent;
    /** Records before this journal position were logged as due at once ({@link #wake wake(true)}). */
    private long dueThrough;
    /** Threads waiting in {@link #awaitDrained}: while there are any, send without waiting for the interval. */
    private int drainers;
    private volatile boolean stopping;
    private boolean finished;
    private String lastError;
    private String blockedBy;

    /**
     * @param runId the run on this target (another server's run is another id)
     * @param artifactUri that run's artifact root
     * @param progress the target's progress record, updated as records arrive
     */
    JournalSender(RunJournal journal, MlflowTracker tracker, String runId, String artifactUri, ObjectNode progress) {
        this.journal = journal;
        this.tracker = tracker;
        this.runId = runId;
        this.artifactUri = artifactUri;
        this.progress = progress;
        this.sent = progress.path("sent").asLong(0);
        if (sent > 0 && sent >= journal.size()) {
            List<JsonNode> last = journal.read(journal.size() - 1, 1);
            ended = !last.isEmpty() && "end".equals(kind(last.get(0)));
        }
        this.thread = new Thread(this::sendLoop, "mlflow-journal-" + runId);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * New records are in the journal; {@code now}: send them without waiting for the interval. Only a flush cuts
     * short the backoff after a failed request: records due at once wait for it as any others.
     */
    void wake(boolean now) {
        lock.lock();
        try {
            if (now) {
                dueThrough = Math.max(dueThrough, journal.size());
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every record appended so far has been sent, the server blocks them, or the deadline passes.
     *
     * @param deadline a {@link System#nanoTime()} value
     * @return whether everything was sent
     */
    boolean awaitDrained(long deadline) {
        long target = journal.size();
        lock.lock();
        try {
            urgent = true;
            drainers++;
            wake.signal();
            while (sent < target && blockedBy == null && !finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                sentMore.awaitNanos(left);
            }
            return sent >= target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            drainers--;
            lock.unlock();
        }
    }

    /**
     * Stops sending and releases the journal; deletes it if everything in it reached the server (the final
     * status included), else it stays for {@code ./lab sync}.
     */
    void stop() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            journal.saveProgress(tracker.target(), progress.put("sent", sent));
            // Only its own server's copy makes the journal redundant; after a copy elsewhere it keeps the mapping.
            if (sent >= journal.size() && ended && journal.sealed() && isOwnServer()) {
                journal.delete();
            } else {
                journal.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isOwnServer() {
        String target = journal.header().path("target").asText();
        return tracker.target().equals(target) || tracker.trackingUri().equals(journal.header().path("tracking_uri").asText());
    }

    /** What is not on the server; empty if nothing. Call after {@link #stop()}. */
    Optional<Backlog> backlog() {
        long from;
        lock.lock();
        try {
            from = sent;
        } finally {
            lock.unlock();
        }
        if (from >= journal.size()) {
            return Optional.empty();
        }
        long metrics = 0;
        long others = 0;
        for (long at = from; at < journal.size(); at += READ_AHEAD) {
            for (JsonNode record : journal.read(at, READ_AHEAD)) {
                if ("metric".equals(kind(record))) {
                    metrics++;
                } else {
                    others++;
                }
            }
        }
        String reason = blockedBy != null ? blockedBy : lastError;
        return Optional.of(new Backlog(journal.runId(), metrics, others, journal.directory(), reason));
    }

    /** Records skipped because the server refused them as invalid. */
    long rejected() {
        lock.lock();
        try {
            return rejected;
        } finally {
            lock.unlock();
        }
    }

    private void sendLoop() {
        int failures = 0;
        long lastSync = 0;
        while (!stopping) {
            List<JsonNode> records;
            try {
                if (!awaitWork()) {
                    break;
                }
                records = journal.read(sentNow(), READ_AHEAD);
            } catch (InterruptedException e) {
                break;
            } catch (TrackingException e) {
                block(e.getMessage()); // the journal itself is unreadable: nothing can be sent
                break;
            }
            if (records.isEmpty()) {
                continue;
            }
            if (System.nanoTime() - lastSync > SEND_INTERVAL.toNanos()) {
                journal.force(); // durable before the server has it: an fsync a second, not one a record
                lastSync = System.nanoTime();
            }
            List<JsonNode> request = firstRequest(records);
            try {
                send(request);
                if (failures > 0) {
                    LOG.warn("MLflow server {} answers again; sending the records of run {} held back meanwhile",
                            tracker.shownAs(), journal.runId());
                }
                failures = 0;
                settle(request.size(), 0, request.get(request.size() - 1));
            } catch (ServerRefusal e) {
                if (e.isBlocking()) {
                    block(e.getMessage());
                    break;
                }
                if (e.isBadRequest()) { // an artifact, input or the final status the server will never take
                    LOG.warn("{}; skipping this {} of run {}", e.getMessage(), kind(request.get(0)), journal.runId());
                    settle(request.size(), request.size(), request.get(request.size() - 1));
                    continue;
                }
                if (stopping) {
                    break;
                }
                failures = retryLater(e, failures);
            } catch (TrackingException e) {
                if (stopping) {
                    break;
                }
                failures = retryLater(e, failures);
            }
        }
        lock.lock();
        try {
            finished = true;
            sentMore.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until records are due; false when there will be none (the run ended and all is sent). */
    private boolean awaitWork() throws InterruptedException {
        lock.lock();
        try {
            long due = System.nanoTime() + SEND_INTERVAL.toNanos();
            while (!stopping) {
                long unsent = journal.size() - sent;
                if (unsent == 0 && ended && journal.sealed()) {
                    return false;
                }
                if (unsent > 0 && (urgent || drainers > 0 || sent < dueThrough
                        || unsent >= MlflowLimits.MAX_METRICS_PER_BATCH || System.nanoTime() >= due)) {
                    urgent = false;
                    return true;
                }
                long wait = Math.max(1, due - System.nanoTime());
                if (unsent == 0) {
                    due = System.nanoTime() + SEND_INTERVAL.toNanos();
                    wait = SEND_INTERVAL.toNanos();
                }
                wake.awaitNanos(wait);
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private long sentNow() {
        lock.lock();
        try {
            return sent;
        } finally {
            lock.unlock();
        }
    }

    private int retryLater(TrackingException error, int failures) {
        if (failures == 0) {
            LOG.warn("{}; keeping the records of run {} in its journal and trying again", error.getMessage(),
                    journal.runId());
        } else {
            LOG.debug("still failing: {}", error.getMessage());
        }
        long backoff = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(failures, 20));
        lock.lock();
        try {
            lastError = error.getMessage();
            long until = System.nanoTime() + backoff;
            while (!stopping && !urgent && System.nanoTime() < until) {
                wake.awaitNanos(until - System.nanoTime());
            }
            urgent = false; // a flush retries at once, once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        return failures + 1;
    }

    private void block(String reason) {
        LOG.warn("{}; the records of run {} stay in its journal until ./lab sync", reason, journal.runId());
        lock.lock();
        try {
            blockedBy = reason;
            sentMore.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void settle(int count, long refused, JsonNode last) {
        lock.lock();
        try {
            sent += count;
            rejected += refused;
            ended = "end".equals(kind(last));
            journal.saveProgress(tracker.target(), progress.put("sent", sent));
            sentMore.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the run's final status was sent and nothing follows it. */
    boolean complete() {
        lock.lock();
        try {
            return ended && sent >= journal.size() && journal.sealed();
        } finally {
            lock.unlock();
        }
    }

    /** The records of the next request: one artifact, one end, or a run of params, tags and metrics. */
    static List<JsonNode> firstRequest(List<JsonNode> records) {
        JsonNode first = records.get(0);
        if (!isBatchable(first)) {
            return List.of(first);
        }
        List<JsonNode> request = new ArrayList<>();
        int metrics = 0;
        int params = 0;
        int tags = 0;
        long bytes = 0;
        Set<String> paramKeys = new HashSet<>();
        Set<String> tagKeys = new HashSet<>();
        for (JsonNode record : records) {
            if (!isBatchable(record)) {
                break;
            }
            String kind = kind(record);
            String key = record.path("key").asText();
            int size = Batches.estimatedBytes(key, record.path("value").asText());
            boolean fits = switch (kind) {
                case "metric" -> metrics < MlflowLimits.MAX_METRICS_PER_BATCH;
                case "param" -> params < MlflowLimits.MAX_PARAMS_PER_BATCH && !paramKeys.contains(key);
                case "tag" -> tags < MlflowLimits.MAX_TAGS_PER_BATCH && !tagKeys.contains(key);
                default -> true; // damaged: skipped
            };
            if (!fits || metrics + params + tags >= MlflowLimits.MAX_METRICS_PER_BATCH
                    || bytes + size > MlflowLimits.MAX_BATCH_BYTES) {
                break;
            }
            switch (kind) {
                case "metric" -> metrics++;
                case "param" -> {
                    params++;
                    paramKeys.add(key);
                }
                case "tag" -> {
                    tags++;
                    tagKeys.add(key); // a later value of the same tag goes in a later request, so it wins
                }
                default -> { }
            }
            bytes += size;
            request.add(record);
        }
        return request;
    }

    private void send(List<JsonNode> request) {
        JsonNode first = request.get(0);
        switch (kind(first)) {
            case "artifact" -> tracker.uploadArtifact(runId, artifactUri, first.path("path").asText(),
                    journal.artifactContent(first));
            case "input" -> tracker.logDatasetInput(runId, first.path("name").asText(), first.path("digest").asText(),
                    first.path("source_type").asText(), first.path("source").asText());
            case "end" -> tracker.endRun(runId, RunStatus.valueOf(first.path("status").asText()),
                    first.path("end_time").asLong());
            default -> sendBatch(request);
        }
    }

    /** One log-batch; if the server refuses it as invalid, its halves, down to the records it refuses. */
    private void sendBatch(List<JsonNode> records) {
        List<Metric> metrics = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        List<RunTag> tags = new ArrayList<>();
        for (JsonNode record : records) {
            String key = record.path("key").asText();
            switch (kind(record)) {
                case "metric" -> metrics.add(Metric.newBuilder().setKey(key).setValue(value(record.path("value")))
                        .setTimestamp(record.path("ts").asLong()).setStep(record.path("step").asLong()).build());
                case "param" -> params.add(Param.newBuilder().setKey(key).setValue(record.path("value").asText()).build());
                case "tag" -> tags.add(RunTag.newBuilder().setKey(key).setValue(record.path("value").asText()).build());
                default -> { } // damaged: a line cut short by a killed process
            }
        }
        if (metrics.isEmpty() && params.isEmpty() && tags.isEmpty()) {
            return;
        }
        try {
            tracker.logBatch(runId, metrics, params, tags);
        } catch (ServerRefusal e) {
            if (!e.isBadRequest()) {
                throw e;
            }
            if (records.size() == 1) {
                LOG.warn("{}; skipping this {} of run {}", e.getMessage(), kind(records.get(0)), journal.runId());
                lock.lock();
                try {
                    rejected++;
                } finally {
                    lock.unlock();
                }
                return;
            }
            int half = records.size() / 2;
            sendBatch(records.subList(0, half));
            sendBatch(records.subList(half, records.size()));
        }
    }

    private static boolean isBatchable(JsonNode record) {
        String kind = kind(record);
        return !kind.equals("artifact") && !kind.equals("input") && !kind.equals("end");
    }

    static String kind(JsonNode record) {
        return record.path("k").asText();
    }

    private static double value(JsonNode value) {
        return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
    }
}

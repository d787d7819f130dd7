package org.backproplab.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;
import org.mlflow.api.proto.Service.Run;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One owner per sweep: the process running a sweep holds a lease on its parent run, the tag {@code lab.sweep.lease}
 * naming it (host, pid, a random token) and when the lease expires, refreshed by a daemon thread every third of
 * its time. MLflow has no compare-and-set, so taking the lease is write, wait, read back: of two processes that
 * write at once the later write wins, and both read it after the wait. A {@code --resume} of a sweep whose lease
 * is alive refuses; once it expired (its owner died), it takes over.
 */
final class SweepLease implements AutoCloseable {

    static final String TAG = "lab.sweep.lease";
    static final String SECONDS_VARIABLE = "LAB_SWEEP_LEASE_SECONDS";
    static final Duration DEFAULT_TIME = Duration.ofSeconds(60);
    /** Between writing the lease and reading it back: longer than another process's read-to-write gap. */
    private static final Duration SETTLE = Duration.ofMillis(1500);

    private static final Logger LOG = LoggerFactory.getLogger(SweepLease.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MlflowTracker tracker;
    private final String runId;
    private final Holder mine;
    private final Duration time;
    private final Thread heartbeat;
    private volatile boolean closed;

    /** Who holds a lease, until when. */
    record Holder(String token, String host, long pid, long expiresMillis) {
        boolean isAlive(long now) {
            return expiresMillis > now;
        }

        String describe() {
            return "process " + pid + " on " + host + " (lease until " + Instant.ofEpochMilli(expiresMillis) + ")";
        }
    }

    private SweepLease(MlflowTracker tracker, String runId, Holder mine, Duration time, Runnable onLost) {
        this.tracker = tracker;
        this.runId = runId;
        this.mine = mine;
        this.time = time;
        this.heartbeat = new Thread(() -> refreshLoop(onLost), "lab-sweep-lease");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** How long a lease lasts without refresh: {@code LAB_SWEEP_LEASE_SECONDS}, else 60 s. */
    static Duration time() {
        String value = System.getProperty("lab.sweep.lease_seconds", System.getenv(SECONDS_VARIABLE));
        if (value == null || value.isBlank()) {
            return DEFAULT_TIME;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds >= 1) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserFacingException(SECONDS_VARIABLE + " must be a number of seconds, at least 1, got '" + value + "'");
    }

    /**
     * This process's lease on a parent run it is about to create for a new sweep: the lease's tag goes into the
     * run's creation, so no other process ever sees the run without it, and holding it needs no write, wait and
     * read back (that wait, {@link #SETTLE}, was 1.5 s of every sweep's start). A {@code --resume} that finds no
     * earlier run takes its lease with {@link #acquire} instead: it must see whether a twin created one meanwhile.
     */
    static Claim claimNewRun() {
        Duration time = time();
        return new Claim(withExpiry(new Holder(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid(), 0),
                time), time);
    }

    /** A lease written into a run's creation; {@link #hold} keeps it alive once the run exists. */
    record Claim(Holder holder, Duration time) {

        /** The tag's value, for {@link #TAG}. */
        String tagValue() {
            return write(holder);
        }

        /** Keeps this lease on {@code runId}, which was created with {@link #tagValue()}, refreshing it from now on. */
        SweepLease hold(MlflowTracker tracker, String runId, Runnable onLost) {
            return new SweepLease(tracker, runId, holder, time, onLost);
        }
    }

    /**
     * Takes the lease on the parent run {@code runId} for this process.
     *
     * @param onLost called if another process takes the lease later (this one could not refresh it in time)
     * @throws UserFacingException if another process holds it
     */
    static SweepLease acquire(MlflowTracker tracker, String runId, String sweepName, Runnable onLost) {
        Duration time = time();
        Holder mine = new Holder(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid(), 0);
        for (int attempt = 1; ; attempt++) {
            long readAt = System.nanoTime();
            refuseIfHeld(current(tracker.getRun(runId)), mine, runId, sweepName);
            Holder claim = withExpiry(mine, time);
            tracker.setTagNow(runId, TAG, write(claim));
            Duration gap = Duration.ofNanos(System.nanoTime() - readAt);
            sleep(SETTLE);
            Optional<Holder> after = current(tracker.getRun(runId));
            if (after.isPresent() && !after.get().token().equals(mine.token())) {
                refuseIfHeld(after, mine, runId, sweepName);
            }
            // Read and write took long: another process could have read before our write and written after our
            // read-back. Read once more, later, to be sure.
            if (gap.compareTo(SETTLE.dividedBy(2)) < 0 || attempt == 3) {
                return new SweepLease(tracker, runId, claim, time, onLost);
            }
        }
    }

    /** Gives the lease up, so that a {@code --resume} may start at once. */
    @Override
    public void close() {
        closed = true;
        heartbeat.interrupt();
        try {
            tracker.setTagNow(runId, TAG, write(new Holder(mine.token(), mine.host(), mine.pid(), 0)));
        } catch (TrackingException e) {
            LOG.debug("Could not release the lease on run {}: {}", runId, e.getMessage()); // it expires anyway
        }
    }

    /** The lease a run's tags record, if any. */
    static Optional<Holder> current(Run run) {
        String value = SweepTags.of(run, TAG);
        if (value == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(value);
            return Optional.of(new Holder(node.path("token").asText(), node.path("host").asText(),
                    node.path("pid").asLong(), node.path("expires").asLong()));
        } catch (JsonProcessingException e) {
            return Optional.empty(); // not ours to read: as if none
        }
    }

    private static void refuseIfHeld(Optional<Holder> holder, Holder mine, String runId, String sweepName) {
        long now = System.currentTimeMillis();
        if (holder.isPresent() && holder.get().isAlive(now) && !holder.get().token().equals(mine.token())) {
            throw new UserFacingException("sweep " + sweepName + " (parent run " + runId + ") is being run by "
                    + holder.get().describe() + "; wait for it to end, or, if that process is gone, --resume again"
                    + " after " + Instant.ofEpochMilli(holder.get().expiresMillis()));
        }
    }

    private void refreshLoop(Runnable onLost) {
        long interval = Math.max(200, time.toMillis() / 3);
        while (!closed) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                Optional<Holder> holder = current(tracker.getRun(runId));
                if (holder.isPresent() && !holder.get().token().equals(mine.token()) && holder.get().isAlive(System.currentTimeMillis())) {
                    LOG.error("Another process took over this sweep (parent run {}): {}; stopping here", runId,
                            holder.get().describe());
                    onLost.run();
                    return;
                }
                tracker.setTagNow(runId, TAG, write(withExpiry(mine, time)));
            } catch (TrackingException e) {
                LOG.warn("Could not refresh the lease on sweep run {}: {}", runId, e.getMessage());
            }
        }
    }

    private static Holder withExpiry(Holder holder, Duration time) {
        return new Holder(holder.token(), holder.host(), holder.pid(), System.currentTimeMillis() + time.toMillis());
    }

    private static String write(Holder holder) {
        return JSON.createObjectNode().put("token", holder.token()).put("host", holder.host()).put("pid", holder.pid())
                .put("expires", holder.expiresMillis())
                .put("expires_utc", Instant.ofEpochMilli(holder.expiresMillis()).toString()).toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while taking the sweep's lease");
        }
    }
}

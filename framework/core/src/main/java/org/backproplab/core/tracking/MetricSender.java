package org.backproplab.core.tracking;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.mlflow.api.proto.Service.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers a run's metrics and sends them in batches from one daemon thread: at least every second, at once when
 * a full batch is pending, and on {@link #flush()}. The training loop never waits for the network unless the
 * buffer is full. The first failed batch stops sending; its error is thrown by {@link #flush()} and
 * {@link #close()}, and the metrics logged after it are dropped.
 */
final class MetricSender implements AutoCloseable {

    /** Receives one batch, at most {@link MlflowLimits#MAX_METRICS_PER_BATCH} metrics; throws on failure. */
    interface BatchSink {
        void send(List<Metric> batch);
    }

    static final Duration SEND_INTERVAL = Duration.ofSeconds(1);
    /** Beyond this many unsent metrics the caller waits: memory stays bounded when the server is slow. */
    static final int MAX_PENDING = 100_000;
    /** The Java client sets no timeouts; do not wait forever for a server that stopped answering. */
    static final Duration FLUSH_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(MetricSender.class);

    private final String runId;
    private final String trackingUri;
    private final BatchSink sink;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workToDo = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<Metric> pending = new ArrayDeque<>();
    /** Metrics handed to {@link #add}. */
    private long accepted;
    /** Metrics sent, or dropped after an error. */
    private long settled;
    /** Send without waiting for the interval while fewer than this many are settled. */
    private long flushTarget;
    private boolean closing;
    private TrackingException firstError;

    MetricSender(String runId, String trackingUri, BatchSink sink) {
        this.runId = runId;
        this.trackingUri = trackingUri;
        this.sink = sink;
        this.thread = new Thread(this::sendLoop, "mlflow-metrics-" + runId);
        thread.setDaemon(true);
        thread.start();
    }

    void add(Metric metric) {
        lock.lock();
        try {
            if (closing) {
                throw new TrackingException("MLflow run " + runId + " is already finished; nothing more can be logged"
                        + " to it.");
            }
            while (pending.size() >= MAX_PENDING && firstError == null) {
                progress.await();
            }
            accepted++;
            if (firstError != null) {
                settled++; // dropped; flush() and close() report the error
                return;
            }
            pending.add(metric);
            if (pending.size() >= MlflowLimits.MAX_METRICS_PER_BATCH) {
                workToDo.signal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("Interrupted while waiting to log a metric of MLflow run " + runId + ".", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until every metric added so far is sent.
     *
     * @throws TrackingException with the first error of the background thread, or if the server accepted nothing
     *     for {@link #FLUSH_TIMEOUT}
     */
    void flush() {
        lock.lock();
        try {
            long target = accepted;
            flushTarget = Math.max(flushTarget, target);
            workToDo.signal();
            long lastSettled = settled;
            long remaining = FLUSH_TIMEOUT.toNanos();
            while (settled < target) {
                if (remaining <= 0) {
                    throw new TrackingException("MLflow server at " + trackingUri + " accepted no metrics of run "
                            + runId + " for " + FLUSH_TIMEOUT.toMinutes() + " minutes; " + (target - settled)
                            + " are unsent.");
                }
                remaining = progress.awaitNanos(remaining);
                if (settled != lastSettled) { // progress resets the clock: only a stalled server times out
                    lastSettled = settled;
                    remaining = FLUSH_TIMEOUT.toNanos();
                }
            }
            if (firstError != null) {
                throw new TrackingException(firstError.getMessage(), firstError);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("Interrupted while sending the metrics of MLflow run " + runId + ".", e);
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is pending, then stops the thread. Throws like {@link #flush()}. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            workToDo.signal();
        } finally {
            lock.unlock();
        }
        flush();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendLoop() {
        long nextSend = System.nanoTime() + SEND_INTERVAL.toNanos();
        while (true) {
            List<Metric> batch;
            lock.lock();
            try {
                awaitWork(nextSend);
                if (pending.isEmpty()) {
                    if (closing) {
                        return;
                    }
                    nextSend = System.nanoTime() + SEND_INTERVAL.toNanos();
                    continue;
                }
                batch = new ArrayList<>(Math.min(pending.size(), MlflowLimits.MAX_METRICS_PER_BATCH));
                while (!pending.isEmpty() && batch.size() < MlflowLimits.MAX_METRICS_PER_BATCH) {
                    batch.add(pending.poll());
                }
            } catch (InterruptedException e) {
                recordFailure(new TrackingException("Sending the metrics of MLflow run " + runId + " was interrupted."));
                return;
            } finally {
                lock.unlock();
            }
            nextSend = System.nanoTime() + SEND_INTERVAL.toNanos();
            send(batch);
        }
    }

    /** Waits, holding the lock, until a batch is full, a flush or close asks, or the interval is over. */
    private void awaitWork(long nextSend) throws InterruptedException {
        while (pending.size() < MlflowLimits.MAX_METRICS_PER_BATCH && settled >= flushTarget && !closing) {
            long wait = nextSend - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            workToDo.awaitNanos(wait);
        }
    }

    private void send(List<Metric> batch) {
        TrackingException error = null;
        try {
            sink.send(batch);
        } catch (TrackingException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new TrackingException("Could not send metrics of MLflow run " + runId + " to " + trackingUri
                    + ": " + e, e);
        }
        lock.lock();
        try {
            settled += batch.size(); // together with the error, so no flush() can return in between
            if (error != null) {
                recordFailure(error);
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void recordFailure(TrackingException error) {
        lock.lock();
        try {
            if (firstError == null) {
                firstError = error;
                LOG.warn("Metrics of MLflow run {} are no longer sent: {}", runId, error.getMessage());
            }
            settled += pending.size();
            pending.clear();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

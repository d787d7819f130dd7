package org.backproplab.core.sweep;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.backproplab.core.tracking.RunStatus;

/**
 * Whether a sweep goes on: it stops starting trials after the first failure with {@code --fail-fast}, and when
 * interrupted (Ctrl-C, SIGTERM). Thread-safe: parallel workers report into it.
 */
final class SweepControl {

    private final boolean failFast;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private volatile boolean interrupted;
    private volatile String stopReason;

    SweepControl(boolean failFast) {
        this.failFast = failFast;
    }

    /**
     * Runs {@code lane} {@code count} times at once, each in a thread of its own (a worker's or a cluster's share
     * of the trials), and returns when all have ended. An exception in one stops the sweep and is rethrown.
     */
    void runLanes(int count, String threadName, Runnable lane) {
        CompletableFuture<?>[] lanes = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = CompletableFuture.runAsync(lane, runnable -> new Thread(runnable, threadName).start());
        }
        try {
            CompletableFuture.allOf(lanes).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupt();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            interrupt(); // stop the other lanes before reporting
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    /** Runs {@code action} once when the sweep starts stopping, e.g. to stop running workers. */
    void onStop(Runnable action) {
        onStop.add(action);
        if (stopping.get()) {
            action.run();
        }
    }

    boolean stopping() {
        return stopping.get();
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Why the sweep stopped before its last trial, or {@code null}. */
    String stopReason() {
        return stopReason;
    }

    /** Whether {@code --fail-fast} stopped the sweep. */
    boolean stoppedByFailure() {
        return stopping() && !interrupted;
    }

    void trialEnded(Trial trial, RunStatus status) {
        if (failFast && status == RunStatus.FAILED) {
            stop("stopped by --fail-fast: trial " + trial.index() + " (" + trial.name() + ") failed");
        }
    }

    void interrupt() {
        interrupted = true;
        stop("interrupted");
    }

    private void stop(String reason) {
        if (stopping.compareAndSet(false, true)) {
            stopReason = reason;
            onStop.forEach(Runnable::run);
        }
    }
}

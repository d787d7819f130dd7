package org.backproplab.core.sweep;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.backproplab.core.tracking.MlflowTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker processes started before the sweep checks its trials and opens its parent run, so that their JVMs and
 * PyTorch start, and each loads the first trial's dataset, while the sweep does that work: a worker's start took
 * about as long as those checks. They wait for their first trial on their input; those the sweep does not take
 * (its checks failed, or a resumed sweep has fewer trials left than workers) are stopped on {@link #close}, having
 * logged nothing.
 */
final class EarlyWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyWorkers.class);
    /** How long a worker without a trial gets to exit once stopped (it has nothing to save) before it is killed. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    /** None: for executors that start no workers of their own. */
    static final EarlyWorkers NONE = new EarlyWorkers();

    private final Deque<Process> waiting = new ArrayDeque<>();

    private EarlyWorkers() {}

    /** Starts {@code count} workers for {@code plan}; one that cannot start is left to the pool to try again. */
    static EarlyWorkers start(WorkerLaunch launch, SweepPlan plan, MlflowTracker tracker, int count) {
        EarlyWorkers early = new EarlyWorkers();
        for (int i = 0; i < count; i++) {
            try {
                early.waiting.add(launch.start(plan, tracker));
            } catch (IOException e) {
                LOG.debug("Could not start a worker early: {}", e.getMessage());
            }
        }
        LOG.debug("Started worker processes {} before the sweep's checks", early.waiting.stream().map(Process::pid).toList());
        return early;
    }

    /** A worker started early, or {@code null} when none is left. */
    synchronized Process take() {
        return waiting.poll();
    }

    /** Stops all but {@code count} of the workers not taken yet, and waits until they have exited. */
    synchronized void keep(int count) {
        List<Process> stopped = new ArrayList<>();
        while (waiting.size() > count) {
            Process process = waiting.removeLast();
            process.destroy();
            stopped.add(process);
        }
        for (Process process : stopped) {
            try {
                if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (!stopped.isEmpty()) {
            LOG.debug("Stopped worker processes {}, which had no trial", stopped.stream().map(Process::pid).toList());
        }
    }

    /** Stops the workers not taken: they have no trial, and no run in MLflow. */
    @Override
    public synchronized void close() {
        keep(0);
    }
}

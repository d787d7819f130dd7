package org.backproplab.core.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;

/**
 * Runs a sweep's trials on a {@link ClusterExecutor.Cluster}: each trained and logged by its host as a worker
 * process would, the sweep only learning how each ended. A grid or random search hands the cluster as many trials
 * at once as it takes (they wait in the cluster's queue); a TPE search keeps only as many in flight as the cluster
 * can train now, so that each is proposed, when an executor is free, from every result so far. A trial whose host
 * process is lost (killed, out of memory, crashed) is ended FAILED here with the cluster's reason, and the sweep
 * goes on. A pruned sweep's trials report their objective at each evaluation over a {@link PruningLine} to the
 * pruner here, and stop when it says so, as worker processes do.
 */
final class RemoteTrials implements TrialExecutor {

    /** How often an adaptive sweep waiting for room looks again whether executors have registered meanwhile. */
    private static final long ROOM_RECHECK_MILLIS = 1_000;

    private final ClusterExecutor.Cluster cluster;
    private final SweepPlan plan;
    private final MlflowTracker tracker;
    private final SweepParent parent;
    private final SweepControl control;
    private final List<String> pluginArguments;
    private final Map<String, String> trackingEnvironment;
    private final Object room = new Object();
    /** The trials training now, by number: whose reports the pruning line answers. */
    private final Map<Integer, Trial> running = new ConcurrentHashMap<>();
    private int inFlight;

    RemoteTrials(ClusterExecutor.Cluster cluster, SweepPlan plan, MlflowTracker tracker, SweepParent parent,
            SweepControl control, List<String> pluginArguments, Map<String, String> trackingEnvironment) {
        this.cluster = cluster;
        this.plan = plan;
        this.tracker = tracker;
        this.parent = parent;
        this.control = control;
        this.pluginArguments = pluginArguments;
        this.trackingEnvironment = trackingEnvironment;
        control.onStop(cluster::cancelAll);
        control.onStop(() -> {
            synchronized (room) {
                room.notifyAll();
            }
        });
    }

    @Override
    public void run(TrialFeed feed, ProgressDisplay display) {
        Path file = Path.of(plan.fileName()).toAbsolutePath().normalize();
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException("cannot read " + plan.fileName() + " to send it to the cluster: " + e.getMessage());
        }
        if (plan.definition().pruner() == null) {
            runLanes(feed, display, file, content, null);
            return;
        }
        // Trials on executors report their objective over this line, and get the pruner's answer back on it.
        try (PruningLine line = PruningLine.open(cluster.driverHost(), (index, step, value) -> {
            Trial trial = running.get(index);
            return trial == null ? null : feed.report(trial, step, value);
        })) {
            runLanes(feed, display, file, content, line.address());
        } catch (IOException e) {
            throw new UserFacingException("cannot open the pruning line for the cluster's trials on "
                    + cluster.driverHost() + ": " + e.getMessage());
        }
    }

    private void runLanes(TrialFeed feed, ProgressDisplay display, Path file, String content, PruningLine.Address pruning) {
        control.runLanes(Math.max(1, Math.min(cluster.concurrency(), feed.toRun())), "lab-sweep-remote",
                () -> runLane(feed, display, file, content, pruning));
    }

    private void runLane(TrialFeed feed, ProgressDisplay display, Path file, String content, PruningLine.Address pruning) {
        while (!control.stopping() && takeRoom()) {
            try {
                Optional<TrialFeed.Slot> slot = feed.next();
                if (slot.isEmpty()) {
                    return;
                }
                runOne(slot.get(), feed, display, file, content, pruning);
            } finally {
                releaseRoom();
            }
        }
    }

    private void runOne(TrialFeed.Slot slot, TrialFeed feed, ProgressDisplay display, Path file, String content,
            PruningLine.Address pruning) {
        Trial trial = slot.trial();
        running.put(trial.index(), trial);
        try {
            runOne(trial, slot.position(), feed, display, file, content, pruning);
        } finally {
            running.remove(trial.index());
        }
    }

    private void runOne(Trial trial, int position, TrialFeed feed, ProgressDisplay display, Path file, String content,
            PruningLine.Address pruning) {
        String label = TrialEnd.label(trial, position);
        AtomicBoolean started = new AtomicBoolean();
        TrialRequest request = new TrialRequest(plan.fileName(), file.toString(), content, plan.overrides(),
                pluginArguments, trial.index(), trial.trialId(), TrialJson.write(trial.values()), parent.runId(),
                tracker.trackingUri(), trackingEnvironment, pruning);
        TrialEnd end = await(trial, cluster.submit(request, () -> {
            if (started.compareAndSet(false, true)) {
                display.trialStarted(position, label);
            }
        }));
        String outcome = feed.ended(trial, end);
        if (end.status() != null) {
            if (started.compareAndSet(false, true)) {
                display.trialStarted(position, label);
            }
            display.trialEnded(position, label, end.status() == RunStatus.FINISHED, outcome);
            control.trialEnded(trial, end.status());
        }
    }

    /**
     * Waits, in an adaptive sweep, until the cluster can train one more trial now; a grid's or random search's
     * trials never wait here (the cluster queues them).
     *
     * @return {@code false} if the sweep is stopping
     */
    private boolean takeRoom() {
        synchronized (room) {
            while (plan.adaptive() && inFlight >= Math.max(1, cluster.capacity()) && !control.stopping()) {
                try {
                    room.wait(ROOM_RECHECK_MILLIS); // woken when a trial ends; else executors may have registered
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    control.interrupt();
                }
            }
            if (control.stopping()) {
                return false;
            }
            inFlight++;
            return true;
        }
    }

    private void releaseRoom() {
        synchronized (room) {
            inFlight--;
            room.notifyAll();
        }
    }

    private TrialEnd await(Trial trial, CompletableFuture<TrialRequest.Reply> submitted) {
        try {
            TrialRequest.Reply reply = submitted.join();
            if (reply.refused() != null) {
                // Its components could not be created there, so no run exists: record the trial as a failed one.
                parent.recordFailedTrial(trial, reply.refused());
                return new TrialEnd(RunStatus.FAILED, reply.refused());
            }
            return TrialEnd.ofRun(tracker, reply.runId(), null);
        } catch (CancellationException | CompletionException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TrackingException tracking) {
                throw tracking;
            }
            String why = String.valueOf(cause.getMessage()).strip();
            String retry = control.stopping() ? "" : "; " + cluster.retryPolicy();
            return TrialEnd.lost(parent, tracker, control, trial, null,
                    "the cluster lost the trial before its run was created: " + why + retry,
                    "the cluster lost the trial during training: " + why + retry);
        }
    }
}

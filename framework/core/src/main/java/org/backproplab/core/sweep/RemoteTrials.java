package org.backproplab.core.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;

/**
 * Runs trials on a {@link TrialExecutor.Cluster}: as many at once as it takes, each trained and logged by its
 * host as a worker process would, the sweep only learning how each ended. A trial whose host process is lost
 * (killed, out of memory, crashed) is ended FAILED here with the cluster's reason, and the sweep goes on.
 */
final class RemoteTrials {

    private final TrialExecutor.Cluster cluster;
    private final SweepPlan plan;
    private final MlflowTracker tracker;
    private final SweepParent parent;
    private final SweepControl control;
    private final List<String> pluginArguments;
    private final Map<String, String> trackingEnvironment;

    RemoteTrials(TrialExecutor.Cluster cluster, SweepPlan plan, MlflowTracker tracker, SweepParent parent,
            SweepControl control, List<String> pluginArguments, Map<String, String> trackingEnvironment) {
        this.cluster = cluster;
        this.plan = plan;
        this.tracker = tracker;
        this.parent = parent;
        this.control = control;
        this.pluginArguments = pluginArguments;
        this.trackingEnvironment = trackingEnvironment;
        control.onStop(cluster::cancelAll);
    }

    /** Runs the trials and returns when every submitted one has ended. */
    void run(List<Trial> trials, ProgressDisplay display) {
        Path file = Path.of(plan.fileName()).toAbsolutePath().normalize();
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException("cannot read " + plan.fileName() + " to send it to the cluster: " + e.getMessage());
        }
        ConcurrentLinkedQueue<Trial> queue = new ConcurrentLinkedQueue<>(trials);
        control.runLanes(Math.min(cluster.concurrency(), trials.size()), "lab-sweep-remote",
                () -> runLane(queue, trials, display, file, content));
    }

    private void runLane(ConcurrentLinkedQueue<Trial> queue, List<Trial> trials, ProgressDisplay display, Path file,
            String content) {
        Trial trial;
        while (!control.stopping() && (trial = queue.poll()) != null) {
            if (parent.hasFinished(trial)) {
                continue; // finished meanwhile by a concurrent run of this sweep: never train it twice
            }
            int position = trials.indexOf(trial) + 1; // the display numbers trials as listed
            String label = TrialEnd.label(trial, position);
            AtomicBoolean started = new AtomicBoolean();
            TrialRequest request = new TrialRequest(plan.fileName(), file.toString(), content, plan.overrides(),
                    pluginArguments, trial.index(), trial.trialId(), parent.runId(), tracker.trackingUri(),
                    trackingEnvironment);
            TrialEnd end = await(trial, cluster.submit(request, () -> {
                if (started.compareAndSet(false, true)) {
                    display.trialStarted(position, label);
                }
            }));
            if (end.status() != null) {
                if (started.compareAndSet(false, true)) {
                    display.trialStarted(position, label);
                }
                display.trialEnded(position, label, end.status() == RunStatus.FINISHED, end.status() + ": " + end.message());
                control.trialEnded(trial, end.status());
            }
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
            return TrialEnd.ofRun(tracker, reply.runId());
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

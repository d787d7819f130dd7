package org.backproplab.core.sweep;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.ExperimentRunner.RunResult;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;
import org.backproplab.spi.Callback;

/**
 * Runs trials one after another in this process: the default, and the cheapest for small trials. DJL allows one
 * gradient collector per JVM, so this cannot run trials at once; and a native crash here ends the sweep, which
 * {@code --workers} avoids.
 */
final class InProcessTrials implements TrialExecutor {

    private final ExperimentRunner runner;
    private final MlflowTracker tracker;
    private final SweepParent parent;
    private final SweepControl control;
    private final IntUnaryOperator engineThreads;
    private final PrintStream out;
    private final String objectiveMetric;

    /**
     * @param engineThreads the thread count in force for a trial's {@code training.threads} (0 when unset)
     * @param objectiveMetric what trials report for pruning
     */
    InProcessTrials(ExperimentRunner runner, MlflowTracker tracker, SweepParent parent, SweepControl control,
            IntUnaryOperator engineThreads, PrintStream out, String objectiveMetric) {
        this.objectiveMetric = objectiveMetric;
        this.runner = runner;
        this.tracker = tracker;
        this.parent = parent;
        this.control = control;
        this.engineThreads = engineThreads;
        this.out = out;
    }

    @Override
    public void run(TrialFeed feed, ProgressDisplay display) {
        // A trial's own lines (its run's address, epochs) only when verbose: the display reports each trial.
        PrintStream trialOut = ConsoleMode.current().verbose() ? out : new PrintStream(OutputStream.nullOutputStream());
        Optional<TrialFeed.Slot> slot;
        while (!control.stopping() && (slot = feed.next()).isPresent()) {
            Trial trial = slot.get().trial();
            int position = slot.get().position();
            display.trialStarted(position, TrialEnd.label(trial, position));
            List<Callback> callbacks = feed.prunes()
                    ? List.of(new PruningCallback(objectiveMetric, (step, value) -> feed.report(trial, step, value)))
                    : List.of();
            TrialEnd end = runOne(trial, trialOut, callbacks);
            String outcome = feed.ended(trial, end);
            display.trialEnded(position, TrialEnd.label(trial, position), end.status() == RunStatus.FINISHED, outcome);
            control.trialEnded(trial, end.status());
        }
    }

    private TrialEnd runOne(Trial trial, PrintStream trialOut, List<Callback> callbacks) {
        Integer requested = trial.experiment().training().threads();
        int threads = engineThreads.applyAsInt(requested == null ? 0 : requested);
        AtomicReference<String> runId = new AtomicReference<>();
        try {
            RunResult result = runner.run(trial.experiment(), trial.overrides(), tracker, threads, trialOut,
                    parent.placement(trial, runId::set, callbacks));
            if (result.status() == RunStatus.KILLED) {
                control.interrupt();
            }
            return new TrialEnd(result.status(), result.outcome().message(), result.runId());
        } catch (UserFacingException e) {
            // A component could not be created, so no run exists yet: record the trial as a failed one.
            parent.recordFailedTrial(trial, e.getMessage());
            return new TrialEnd(RunStatus.FAILED, e.getMessage());
        } catch (TrackingException e) {
            throw e; // without MLflow no trial can be recorded: the sweep cannot go on
        } catch (RuntimeException e) {
            // The runner has marked the run FAILED with the error; the sweep goes on.
            return new TrialEnd(RunStatus.FAILED, String.valueOf(e.getMessage()), runId.get());
        }
    }
}

package org.backproplab.core.sweep;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.ExperimentRunner.RunResult;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.UserFacingException;

/**
 * Runs trials one after another in this process: the default, and the cheapest for small trials. DJL allows one
 * gradient collector per JVM, so this cannot run trials at once; and a native crash here ends the sweep, which
 * {@code --workers} avoids.
 */
final class InProcessTrials {

    private final ExperimentRunner runner;
    private final MlflowTracker tracker;
    private final SweepParent parent;
    private final SweepControl control;
    private final IntUnaryOperator engineThreads;
    private final PrintStream out;

    /** @param engineThreads the thread count in force for a trial's {@code training.threads} (0 when unset) */
    InProcessTrials(ExperimentRunner runner, MlflowTracker tracker, SweepParent parent, SweepControl control,
            IntUnaryOperator engineThreads, PrintStream out) {
        this.runner = runner;
        this.tracker = tracker;
        this.parent = parent;
        this.control = control;
        this.engineThreads = engineThreads;
        this.out = out;
    }

    void run(List<Trial> trials, ProgressDisplay display) {
        // A trial's own lines (its run's address, epochs) only when verbose: the display reports each trial.
        PrintStream trialOut = ConsoleMode.current().verbose() ? out : new PrintStream(OutputStream.nullOutputStream());
        for (int position = 1; position <= trials.size() && !control.stopping(); position++) {
            Trial trial = trials.get(position - 1);
            if (parent.hasFinished(trial)) {
                continue; // finished meanwhile by a concurrent run of this sweep: never train it twice
            }
            display.trialStarted(position, TrialEnd.label(trial, position));
            TrialEnd end = runOne(trial, trialOut);
            display.trialEnded(position, TrialEnd.label(trial, position), end.status() == RunStatus.FINISHED, end.status() + ": " + end.message());
            control.trialEnded(trial, end.status());
        }
    }

    private TrialEnd runOne(Trial trial, PrintStream trialOut) {
        Integer requested = trial.experiment().training().threads();
        int threads = engineThreads.applyAsInt(requested == null ? 0 : requested);
        try {
            RunResult result = runner.run(trial.experiment(), trial.overrides(), tracker, threads, trialOut,
                    parent.placement(trial, runId -> { }));
            if (result.status() == RunStatus.KILLED) {
                control.interrupt();
            }
            return new TrialEnd(result.status(), result.outcome().message());
        } catch (UserFacingException e) {
            // A component could not be created, so no run exists yet: record the trial as a failed one.
            parent.recordFailedTrial(trial, e.getMessage());
            return new TrialEnd(RunStatus.FAILED, e.getMessage());
        } catch (TrackingException e) {
            throw e; // without MLflow no trial can be recorded: the sweep cannot go on
        } catch (RuntimeException e) {
            // The runner has marked the run FAILED with the error; the sweep goes on.
            return new TrialEnd(RunStatus.FAILED, String.valueOf(e.getMessage()));
        }
    }
}

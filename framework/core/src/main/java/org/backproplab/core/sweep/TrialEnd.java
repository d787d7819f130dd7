package org.backproplab.core.sweep;

import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.mlflow.api.proto.Service;

/**
 * How one attempt at a trial ended.
 *
 * @param status FINISHED, FAILED or KILLED; {@code null} when it never started (the sweep stopped first)
 * @param message one line about it: the run's outcome or the reason it failed
 * @param runId the attempt's run, {@code null} if it has none
 */
record TrialEnd(RunStatus status, String message, String runId) {

    TrialEnd(RunStatus status, String message) {
        this(status, message, null);
    }

    /**
     * How a progress display names a trial it shows as number {@code position}: by its values, and also by its
     * own number when that differs (a resumed sweep runs only some trials).
     */
    static String label(Trial trial, int position) {
        return position == trial.index() ? trial.name() : "#" + trial.index() + " " + trial.name();
    }

    /**
     * A trial whose run was ended by the process that trained it: its status and outcome are in MLflow, or on their
     * way there (that process's journal still sends them), in which case {@code reported} counts.
     *
     * @param reported the status the process reported; {@code null} if it did not say
     */
    static TrialEnd ofRun(MlflowTracker tracker, String runId, RunStatus reported) {
        if (runId == null) {
            return new TrialEnd(RunStatus.FAILED, "the trial's process reported no run"); // a run comes first
        }
        Service.Run run = tracker.getRun(runId);
        String message = SweepTags.of(run, SweepTags.OUTCOME);
        if (message == null) {
            message = SweepTags.of(run, SweepTags.ERROR);
        }
        Service.RunStatus status = run.getInfo().getStatus();
        RunStatus ended = status == Service.RunStatus.RUNNING || status == Service.RunStatus.SCHEDULED
                ? (reported != null ? reported : RunStatus.FAILED) : RunStatus.valueOf(status.name());
        return new TrialEnd(ended, message == null ? "" : message, runId);
    }

    /**
     * A trial whose process was lost (killed, crashed) before it reported the end: ends its run, which that
     * process could not, or records a failed trial when it had no run yet.
     *
     * @param runId the trial's run if known; else the running attempt in MLflow is looked for
     * @param beforeRun why it failed, when it died before creating its run
     * @param duringRun why it failed, when it died while training
     */
    static TrialEnd lost(SweepParent parent, MlflowTracker tracker, SweepControl control, Trial trial, String runId,
            String beforeRun, String duringRun) {
        if (runId == null) {
            runId = parent.runningAttempt(trial).orElse(null);
        }
        if (runId == null) {
            if (control.stopping()) {
                return new TrialEnd(null, "not started"); // stopped before its run existed: nothing to record
            }
            parent.recordFailedTrial(trial, beforeRun);
            return new TrialEnd(RunStatus.FAILED, beforeRun);
        }
        Service.RunStatus status = tracker.getRun(runId).getInfo().getStatus();
        if (status != Service.RunStatus.FINISHED && (status == Service.RunStatus.RUNNING || !control.stopping())) {
            // Still running: it died without a word. Ended already, e.g. KILLED on a SIGTERM from outside the sweep:
            // for the sweep the trial crashed all the same.
            RunStatus ending = control.stopping() ? RunStatus.KILLED : RunStatus.FAILED;
            String reason = control.stopping() ? "the sweep was stopped (" + control.stopReason() + ")" : duringRun;
            parent.endTrialRun(runId, ending, reason);
            return new TrialEnd(ending, reason, runId);
        }
        return ofRun(tracker, runId, null);
    }
}

package org.backproplab.core.sweep;

import org.backproplab.core.tracking.RunStatus;

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

    TrialEnd withRunId(String id) {
        return new TrialEnd(status, message, id);
    }

    /**
     * How a progress display names a trial it shows as number {@code position}: by its values, and also by its
     * own number when that differs (a resumed sweep runs only some trials).
     */
    static String label(Trial trial, int position) {
        return position == trial.index() ? trial.name() : "#" + trial.index() + " " + trial.name();
    }
}

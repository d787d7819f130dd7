package org.backproplab.core.tracking;

import java.nio.file.Path;

/**
 * What of a run has not reached the MLflow server when a command ends: it stays in the run's journal.
 *
 * @param runId the run, as the journal knows it
 * @param metricPoints metric points not sent
 * @param otherRecords params, tags, artifacts and the final status not sent
 * @param journal the journal's folder, or {@code null} when it was kept in memory only ({@code LAB_JOURNAL=off})
 * @param reason why: the last error from the server
 */
public record Backlog(String runId, long metricPoints, long otherRecords, Path journal, String reason) {

    /** One line for the console: how much is pending and how to send it. */
    public String describe() {
        String what = metricPoints + " metric point" + (metricPoints == 1 ? "" : "s")
                + (otherRecords > 0 ? " and " + otherRecords + " other record" + (otherRecords == 1 ? "" : "s") : "");
        String why = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
        if (journal == null) {
            return "MLflow run " + runId + ": " + what + " were not sent and are lost: the journal was off"
                    + " (" + RunJournal.SWITCH_VARIABLE + "=off)" + why + ".";
        }
        return "MLflow run " + runId + ": " + what + " not on the server yet" + why + "; kept in " + journal
                + ". Send them with: ./lab sync " + runId;
    }
}

package org.backproplab.core.sweep;

import java.nio.file.Path;

/**
 * What came of a sweep.
 *
 * @param parentRunId the sweep's parent run
 * @param parentRunUrl where to see it in MLflow
 * @param finished trials that finished, earlier runs of a resumed sweep included
 * @param trials trials in the sweep
 * @param succeeded whether the sweep counts as a success: at least one trial finished and {@code --fail-fast} did
 *     not stop it
 * @param summaryDirectory where the summary (and report) were written; {@code null} if they could not be
 */
public record SweepOutcome(String parentRunId, String parentRunUrl, long finished, int trials, boolean succeeded,
        Path summaryDirectory) {}

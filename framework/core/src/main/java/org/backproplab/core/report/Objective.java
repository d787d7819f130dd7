package org.backproplab.core.report;

import java.util.Comparator;
import java.util.Optional;

/**
 * The metric trials are judged by: the report's objective, else {@code train/loss} to be minimised.
 *
 * @param metric e.g. {@code eval/accuracy}
 * @param mode {@link ReportData#MAX} or {@link ReportData#MIN}
 * @param stated whether the report named it, rather than falling back to the training loss
 */
record Objective(String metric, String mode, boolean stated) {

    static Objective of(ReportData data) {
        return data.objectiveMetric() != null
                ? new Objective(data.objectiveMetric(), data.objectiveMode(), true)
                : new Objective(MetricKeys.TRAIN_LOSS, ReportData.MIN, false);
    }

    /** The metric's last value in {@code trial} if it finished normally with a finite one. */
    Optional<Double> finalValue(TrialData trial) {
        if (!trial.finishedNormally()) {
            return Optional.empty();
        }
        return trial.last(metric).map(MetricPoint::value).filter(Double::isFinite);
    }

    /** Best first. */
    Comparator<Double> betterFirst() {
        return ReportData.MAX.equals(mode) ? Comparator.reverseOrder() : Comparator.naturalOrder();
    }

    /** E.g. "eval/accuracy (max)". */
    String describe() {
        return metric + " (" + mode + ")";
    }
}

package org.backproplab.core.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a report shows, independent of where it came from.
 *
 * @param title the report's heading, e.g. the sweep's run name
 * @param trials the trials, in the order they should be listed when nothing else orders them
 * @param objectiveMetric the metric trials are ranked by, e.g. {@code eval/accuracy}; {@code null} for none
 * @param objectiveMode {@code max} or {@code min}; {@code null} when there is no objective metric
 */
public record ReportData(String title, List<TrialData> trials, String objectiveMetric, String objectiveMode) {

    public static final String MAX = "max";
    public static final String MIN = "min";

    public ReportData {
        Objects.requireNonNull(title, "title");
        trials = List.copyOf(trials);
        if (objectiveMetric != null && objectiveMetric.isBlank()) {
            objectiveMetric = null;
        }
        if (objectiveMetric == null) {
            objectiveMode = null;
        } else {
            objectiveMode = objectiveMode == null ? MIN : objectiveMode.trim().toLowerCase(Locale.ROOT);
            if (!objectiveMode.equals(MAX) && !objectiveMode.equals(MIN)) {
                throw new IllegalArgumentException("The objective mode must be 'max' or 'min', not '"
                        + objectiveMode + "'.");
            }
        }
    }

    /** A report of the trials on their own, without an objective. */
    public static ReportData of(String title, List<TrialData> trials) {
        return new ReportData(title, trials, null, null);
    }

    /** The same report, ranking trials by {@code metric} ({@code max} or {@code min}). */
    public ReportData withObjective(String metric, String mode) {
        return new ReportData(title, trials, metric, mode);
    }
}

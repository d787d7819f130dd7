package org.backproplab.core.report;

import java.util.Locale;

/** How the report writes numbers: three significant digits, like {@code %.3g}, whatever the default locale. */
final class Numbers {

    /** What a table shows where there is no value. */
    static final String NONE = "—";

    private Numbers() {}

    /** {@code 1.00e-05}, {@code 0.500}, {@code 12.3}; {@code NaN}, {@code inf}, {@code -inf} as such. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** {@link #format} of a value that may be missing ({@code null}). */
    static String formatOrNone(Double value) {
        return value == null ? NONE : format(value.doubleValue());
    }
}

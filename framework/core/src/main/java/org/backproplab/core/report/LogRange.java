package org.backproplab.core.report;

import java.util.DoubleSummaryStatistics;
import java.util.Optional;
import java.util.stream.DoubleStream;

/**
 * The whole decades around a set of positive values, for a log axis shared by several panels.
 *
 * @param min a power of ten at or below every value
 * @param max a power of ten at or above every value, above {@code min}
 */
record LogRange(double min, double max) {

    /** The range of the finite positive values; empty if there are none. */
    static Optional<LogRange> of(DoubleStream values) {
        DoubleSummaryStatistics stats = values.filter(LogRange::plottable).summaryStatistics();
        if (stats.getCount() == 0) {
            return Optional.empty();
        }
        double low = Math.floor(Math.log10(stats.getMin()));
        double high = Math.ceil(Math.log10(stats.getMax()));
        if (high <= low) {
            high = low + 1;
        }
        return Optional.of(new LogRange(Math.pow(10, low), Math.pow(10, high)));
    }

    /** Whether a value can be drawn on a log axis. */
    static boolean plottable(double value) {
        return Double.isFinite(value) && value > 0;
    }

    /** Whether values spread over more than {@code decades} powers of ten: worth a log axis. */
    static boolean spansMoreThan(DoubleStream values, double decades) {
        DoubleSummaryStatistics stats = values.filter(Double::isFinite).summaryStatistics();
        return stats.getCount() > 0 && stats.getMin() > 0 && stats.getMax() / stats.getMin() > Math.pow(10, decades);
    }
}

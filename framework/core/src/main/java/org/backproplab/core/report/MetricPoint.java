package org.backproplab.core.report;

/**
 * One logged value of a metric.
 *
 * @param step the optimizer step it was logged at
 * @param value the value; may be NaN or infinite when training diverged
 */
public record MetricPoint(long step, double value) {}

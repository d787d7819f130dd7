package org.backproplab.spi;

/**
 * What the framework tells a schedule factory, so a schedule can be exact.
 *
 * @param stepsPerEpoch optimizer steps in one epoch
 * @param totalSteps the steps the schedule spans: the whole run less any warm-up
 */
public record ScheduleContext(int stepsPerEpoch, long totalSteps) {}

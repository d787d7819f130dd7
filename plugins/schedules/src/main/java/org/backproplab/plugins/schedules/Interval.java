package org.backproplab.plugins.schedules;

import org.backproplab.spi.ScheduleContext;

/** What a schedule's steps and decays are counted in. */
public enum Interval {
    /** Whole epochs: the factor changes at epoch boundaries, as when PyTorch's scheduler steps once an epoch. */
    EPOCHS,
    /** Optimizer steps: the factor changes at every step, as when the scheduler steps after every batch. */
    STEPS;

    /** The intervals completed before an optimizer step, counted from 0. */
    long elapsed(long step, ScheduleContext context) {
        return switch (this) {
            case EPOCHS -> step / context.stepsPerEpoch();
            case STEPS -> step;
        };
    }

    /** The optimizer steps in {@code count} intervals. */
    long steps(long count, ScheduleContext context) {
        return switch (this) {
            case EPOCHS -> count * context.stepsPerEpoch();
            case STEPS -> count;
        };
    }
}

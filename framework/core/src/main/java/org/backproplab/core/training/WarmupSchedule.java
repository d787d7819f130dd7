package org.backproplab.core.training;

import org.backproplab.spi.Schedule;

/**
 * Linear warm-up in front of a schedule: over the first {@code steps} steps the factor rises from
 * {@code 1/steps} of the schedule's first value to all of it, then the schedule runs from its own step 0.
 */
final class WarmupSchedule implements Schedule {

    private final int steps;
    private final Schedule then;

    WarmupSchedule(int steps, Schedule then) {
        this.steps = steps;
        this.then = then;
    }

    @Override
    public double factor(long step) {
        return step < steps ? then.factor(0) * (step + 1) / steps : then.factor(step - steps);
    }
}

package org.backproplab.spi;

/**
 * A learning-rate schedule: the factor by which the optimizer's base learning rate is multiplied
 * at each step. Made by a {@link ScheduleFactory} from {@code optimizer.schedule} in the file.
 *
 * <p>The framework adds warm-up itself ({@code warmup_steps} in the schedule's block): during the
 * first {@code w} steps the factor rises linearly to the schedule's value at step 0, and the
 * schedule sees steps counted from the end of the warm-up, over {@code totalSteps - w} steps.
 */
@FunctionalInterface
public interface Schedule {

    /** The schedule of an experiment without one: the base learning rate at every step. */
    Schedule CONSTANT = step -> 1.0;

    /**
     * The factor at a step.
     *
     * @param step the optimizer step, counted from 0 (the first update is step 0)
     * @return a finite, non-negative factor; 1 keeps the base learning rate
     */
    double factor(long step);
}

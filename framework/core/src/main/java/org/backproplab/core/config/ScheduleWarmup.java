package org.backproplab.core.config;

import jakarta.validation.constraints.PositiveOrZero;
import org.backproplab.spi.Param;

/**
 * The framework's own key in a schedule's block, bound beside the schedule's parameters.
 *
 * @param warmupSteps steps of linear warm-up before the schedule starts
 */
record ScheduleWarmup(
        @Param(value = "steps over which the learning rate rises linearly before the schedule starts", defaultValue = "0")
                @PositiveOrZero int warmupSteps) {

    /** The key as written in the file. */
    static final String KEY = "warmup_steps";
}

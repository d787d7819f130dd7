package org.backproplab.core.config;

import java.util.Objects;

/**
 * The block {@code optimizer.schedule}: the schedule component and the linear warm-up the framework
 * puts in front of it.
 *
 * @param component the schedule's type and parameters
 * @param warmupSteps steps over which the learning rate rises linearly to the schedule's first value; 0 for none
 */
public record ScheduleChoice(BoundComponent component, int warmupSteps) {

    public ScheduleChoice {
        Objects.requireNonNull(component, "component");
    }
}

package org.backproplab.plugins.schedules;

import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.ScheduleContext;
import org.backproplab.spi.ScheduleFactory;

/** The base learning rate at every step: what an experiment without a schedule gets, and the usual partner of a warm-up. */
public final class ConstantScheduleFactory implements ScheduleFactory<NoParameters> {

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "The base learning rate at every step (after any warm-up).";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public Schedule create(NoParameters parameters, ScheduleContext context) {
        return Schedule.CONSTANT;
    }
}

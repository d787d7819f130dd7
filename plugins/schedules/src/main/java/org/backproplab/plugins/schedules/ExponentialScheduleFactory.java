package org.backproplab.plugins.schedules;

import jakarta.validation.constraints.DecimalMin;
import org.backproplab.spi.Param;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.ScheduleContext;
import org.backproplab.spi.ScheduleFactory;

/**
 * PyTorch's {@code ExponentialLR}: the rate is multiplied by gamma after every epoch (or step), so the
 * factor at a step is gamma^k with k the epochs (or steps) completed before it.
 */
public final class ExponentialScheduleFactory implements ScheduleFactory<ExponentialScheduleFactory.Parameters> {

    /** The parameters of {@code exponential}. */
    public record Parameters(
            @Param("factor applied after each epoch (or step, see unit)") @DecimalMin(value = "0", inclusive = false) double gamma,
            @Param(value = "how often gamma applies: epochs or optimizer steps", defaultValue = "epochs") Interval unit) {}

    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public String description() {
        return "Multiply the rate by gamma after every epoch (or step), as PyTorch's ExponentialLR.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Schedule create(Parameters parameters, ScheduleContext context) {
        double gamma = parameters.gamma();
        Interval unit = parameters.unit();
        return step -> Math.pow(gamma, unit.elapsed(step, context));
    }
}

package org.backproplab.plugins.schedules;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.util.Locale;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Param;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.ScheduleContext;
import org.backproplab.spi.ScheduleFactory;

/**
 * PyTorch's {@code StepLR}: the rate is multiplied by gamma every step_size epochs (or steps), so the
 * factor at a step is gamma^⌊k / step_size⌋ with k the epochs (or steps) completed before it.
 */
public final class StepScheduleFactory implements ScheduleFactory<StepScheduleFactory.Parameters> {

    /** The parameters of {@code step}. */
    public record Parameters(
            @Param("epochs (or steps, see unit) between two decays") @Positive int stepSize,
            @Param(value = "factor applied at each decay", defaultValue = "0.1") @DecimalMin(value = "0", inclusive = false) double gamma,
            @Param(value = "what step_size counts: epochs or optimizer steps", defaultValue = "epochs") Interval unit) {}

    @Override
    public String name() {
        return "step";
    }

    @Override
    public String description() {
        return "Multiply the rate by gamma every step_size epochs (or steps), as PyTorch's StepLR.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Schedule create(Parameters parameters, ScheduleContext context) {
        long firstDecay = parameters.unit().steps(parameters.stepSize(), context);
        if (firstDecay >= context.totalSteps()) {
            throw new ComponentException("schedule 'step': step_size " + parameters.stepSize() + " "
                    + parameters.unit().name().toLowerCase(Locale.ROOT) + " is " + firstDecay
                    + " steps, but the schedule lasts " + context.totalSteps()
                    + " steps, so the rate would never decay; give a smaller step_size");
        }
        int stepSize = parameters.stepSize();
        double gamma = parameters.gamma();
        Interval unit = parameters.unit();
        return step -> Math.pow(gamma, unit.elapsed(step, context) / stepSize);
    }
}

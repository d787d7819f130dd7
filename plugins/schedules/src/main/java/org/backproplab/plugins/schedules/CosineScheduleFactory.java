package org.backproplab.plugins.schedules;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.backproplab.spi.Param;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.ScheduleContext;
import org.backproplab.spi.ScheduleFactory;

/**
 * PyTorch's {@code CosineAnnealingLR} stepped after every batch, with T_max the schedule's steps: the
 * factor at step t is m + (1 − m)·(1 + cos(π·t / T))/2, from 1 at the first step down toward min_factor m
 * at the end. Past T (which a run does not reach) it stays at m instead of rising again.
 */
public final class CosineScheduleFactory implements ScheduleFactory<CosineScheduleFactory.Parameters> {

    /** The parameters of {@code cosine}. */
    public record Parameters(
            @Param(value = "the factor reached at the end (PyTorch's eta_min / lr)", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax("1") double minFactor) {}

    @Override
    public String name() {
        return "cosine";
    }

    @Override
    public String description() {
        return "Cosine annealing from the base rate to min_factor times it over the run's steps, as PyTorch's CosineAnnealingLR.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Schedule create(Parameters parameters, ScheduleContext context) {
        double min = parameters.minFactor();
        double period = context.totalSteps();
        return step -> step >= period ? min : min + (1 - min) * (1 + Math.cos(Math.PI * step / period)) / 2;
    }
}

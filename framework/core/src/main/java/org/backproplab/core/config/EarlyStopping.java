package org.backproplab.core.config;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.backproplab.spi.Param;

/**
 * {@code training.early_stopping}: stop a run once its metric has stopped improving. The metric is judged each
 * time it is logged (every {@code log_every} steps and at the end of an epoch); a run stopped early ends
 * FINISHED, with the reason in its outcome.
 *
 * @param metric the metric to watch, e.g. {@code eval/loss}
 * @param patience how many logged values in a row may fail to improve on the best before training stops
 * @param mode {@code min}: lower is better; {@code max}: higher is better
 * @param minDelta the least change that counts as an improvement
 */
public record EarlyStopping(
        @Param("the metric to watch, e.g. eval/loss") @NotBlank String metric,
        @Param(value = "logged values in a row without improvement before training stops", defaultValue = "5")
                @Positive int patience,
        @Param(value = "min: lower is better; max: higher is better", defaultValue = "min")
                @Pattern(regexp = "min|max", message = "must be min or max") String mode,
        @Param(value = "the least change that counts as an improvement", defaultValue = "0.0") @DecimalMin("0")
                double minDelta) {}

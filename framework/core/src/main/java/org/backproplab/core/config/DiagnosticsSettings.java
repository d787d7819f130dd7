package org.backproplab.core.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.backproplab.spi.Param;

/**
 * The {@code diagnostics:} section: per-layer measurements beyond the gradient norms, which are
 * always logged with the metrics.
 *
 * @param enabled weight norms, update-to-weight ratios, activation statistics and delta norms per layer
 * @param every steps between measurements; 0 measures at every logged step
 * @param saturationThreshold how close to its bounds a sigmoid or tanh output counts as saturated
 */
public record DiagnosticsSettings(
        @Param(value = "log weight norms, update/weight ratios, activation statistics and delta norms per layer", defaultValue = "true")
                boolean enabled,
        @Param(value = "steps between measurements; 0 measures at every logged step (and at step 1)", defaultValue = "0")
                @Min(0) int every,
        @Param(value = "a sigmoid/tanh output within this distance of its bounds counts as saturated", defaultValue = "0.02")
                @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "0.5") double saturationThreshold) {}

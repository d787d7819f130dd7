package org.backproplab.plugins.example;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import java.util.Locale;
import java.util.Map;
import org.backproplab.spi.Callback;
import org.backproplab.spi.CallbackFactory;
import org.backproplab.spi.Param;
import org.backproplab.spi.Training;

/**
 * A callback that ends training as soon as a logged metric falls below a target, and records when:
 * {@code example/steps_to_target} is the step at which it did. Shows the three things a callback may
 * do: read the run's metrics, record one of its own, and ask training to stop.
 */
public final class StopAtLossCallbackFactory implements CallbackFactory<StopAtLossCallbackFactory.Parameters> {

    /**
     * The parameters of {@code stop-at-loss}.
     *
     * @param metric the metric watched at every logged step
     * @param below the value under which training stops
     */
    public record Parameters(
            @Param(value = "the metric watched at every logged step", defaultValue = "train/loss") @NotBlank String metric,
            @Param(value = "stop once the metric is below this") @DecimalMin(value = "0", inclusive = false) double below) {}

    @Override
    public String name() {
        return "stop-at-loss";
    }

    @Override
    public String description() {
        return "Stops training once a metric falls below a target and records the step as example/steps_to_target.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Callback create(Parameters parameters) {
        return new Callback() {
            @Override
            public void onEvaluation(Training training, Map<String, Double> metrics) {
                Double value = training.latestMetrics().get(parameters.metric());
                if (value != null && value < parameters.below()) {
                    training.recordMetric("example/steps_to_target", training.step());
                    training.requestStop(String.format(Locale.ROOT, "%s %.4g fell below %s", parameters.metric(), value,
                            parameters.below()));
                }
            }
        };
    }
}

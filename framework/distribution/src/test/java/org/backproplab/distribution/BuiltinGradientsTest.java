package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.backproplab.core.config.ModelInitial;
import org.backproplab.core.training.GradientCheck;
import org.backproplab.plugins.losses.BinaryCrossEntropyFactory;
import org.backproplab.plugins.losses.MeanSquaredErrorFactory;
import org.backproplab.plugins.losses.SoftmaxCrossEntropyFactory;
import org.backproplab.plugins.models.ActivationFunction;
import org.backproplab.plugins.models.LinearModelFactory;
import org.backproplab.plugins.models.MlpModelFactory;
import org.backproplab.plugins.models.WeightInitialization;
import org.backproplab.spi.Examples;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gradient check over every built-in model, activation and loss, on the real engine in float64. */
class BuiltinGradientsTest {

    private static final float[] X = {0.5f, 0.8f, -0.3f, -0.2f, 0.3f, 0.9f, 1.0f, -0.7f, 0.1f, -0.6f, -0.4f, 0.7f};

    @ParameterizedTest
    @EnumSource(ActivationFunction.class)
    void everyActivationWithEveryLossAgreesWithFiniteDifferences(ActivationFunction activation) {
        MlpModelFactory mlp = new MlpModelFactory();
        for (Case c : List.of(
                new Case(Task.REGRESSION, 2, new float[] {1, 0.5f, -1, 0, 2, 1, 0.3f, -0.2f},
                        new MeanSquaredErrorFactory().create(new MeanSquaredErrorFactory.Parameters(true, MeanSquaredErrorFactory.Reduction.MEAN), Task.REGRESSION)),
                new Case(Task.REGRESSION, 2, new float[] {1, 0.5f, -1, 0, 2, 1, 0.3f, -0.2f},
                        new MeanSquaredErrorFactory().create(new MeanSquaredErrorFactory.Parameters(false, MeanSquaredErrorFactory.Reduction.SUM), Task.REGRESSION)),
                new Case(Task.BINARY_CLASSIFICATION, 1, new float[] {0, 1, 1, 0},
                        new BinaryCrossEntropyFactory().create(new NoParameters(), Task.BINARY_CLASSIFICATION)),
                new Case(Task.MULTICLASS_CLASSIFICATION, 3, new float[] {0, 2, 1, 2},
                        new SoftmaxCrossEntropyFactory().create(new NoParameters(), Task.MULTICLASS_CLASSIFICATION)))) {
            // Large enough random starts that no ReLU sits within the finite-difference step of its kink.
            var parameters = new MlpModelFactory.Parameters(List.of(5, 4), null, null, activation, WeightInitialization.XAVIER,
                    0.01, 0.1, 1.0, false, 0, false, MlpModelFactory.OutputActivation.NONE);
            var block = mlp.create(parameters, new ModelContext(3, c.outputs(), c.task()));
            int targetSize = c.task() == Task.REGRESSION ? c.outputs() : 1;
            GradientCheck.Result result = GradientCheck.check(block, ModelInitial.NONE, c.loss().loss(),
                    new Examples(X, 3, c.targets(), targetSize), 11, GradientCheck.Options.DEFAULT);
            assertThat(result.passed()).as("%s with %s:%n%s", activation, c.task(), result.describe()).isTrue();
            assertThat(result.worstByLayer()).containsOnlyKeys("layer_01", "layer_02", "layer_03");
        }
    }

    @Test
    void theLinearModelAndTheSigmoidOutputAgreeToo() {
        var linear = new LinearModelFactory().create(new LinearModelFactory.Parameters(true), new ModelContext(3, 1, Task.REGRESSION));
        LossFunction mse = new MeanSquaredErrorFactory().create(new MeanSquaredErrorFactory.Parameters(true,
                MeanSquaredErrorFactory.Reduction.MEAN), Task.REGRESSION);
        GradientCheck.Result result = GradientCheck.check(linear, ModelInitial.NONE, mse.loss(),
                new Examples(X, 3, new float[] {1, 2, 3, 4}, 1), 5, GradientCheck.Options.DEFAULT);
        assertThat(result.passed()).as(result.describe()).isTrue();

        var sigmoidOut = new MlpModelFactory().create(new MlpModelFactory.Parameters(List.of(2), null, null, ActivationFunction.SIGMOID,
                WeightInitialization.XAVIER, 0.01, 0.01, 1.0, false, 0, false, MlpModelFactory.OutputActivation.SIGMOID),
                new ModelContext(3, 1, Task.BINARY_CLASSIFICATION));
        GradientCheck.Result xorLike = GradientCheck.check(sigmoidOut, ModelInitial.NONE, mse.loss(),
                new Examples(X, 3, new float[] {0, 1, 1, 0}, 1), 5, GradientCheck.Options.DEFAULT);
        assertThat(xorLike.passed()).as(xorLike.describe()).isTrue();
    }

    private record Case(Task task, int outputs, float[] targets, LossFunction loss) {}
}

package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011) as {@code torch.optim.Adagrad}: with g the gradient plus
 * weight_decay·w, the sum of squares grows s ← s + g², and w ← w − lr·g/(√s + ε), so each weight's
 * step shrinks with the gradients it has seen.
 */
public final class AdagradOptimizerFactory implements OptimizerFactory<AdagradOptimizerFactory.Parameters> {

    /** The parameters of {@code adagrad}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "added to the denominator for numerical stability", defaultValue = "1.0e-10") @Positive double epsilon,
            @Param(value = "starting value of every sum of squared gradients", defaultValue = "0.0")
                    @DecimalMin("0") double initialAccumulatorValue,
            @Param(value = "L2 weight decay, added to the gradient as weight_decay·w", defaultValue = "0.0") @DecimalMin("0") double weightDecay) {}

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public String description() {
        return "Adagrad: each weight's step divided by the root of its accumulated squared gradients.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        return new Adagrad(context.learningRate(parameters.lr()), parameters);
    }

    /** The update rule of {@code torch.optim.Adagrad} without its lr_decay (a schedule does that). */
    static final class Adagrad extends TorchRuleOptimizer {

        private final Parameters parameters;
        private final Map<String, NDArray> sums = states();

        Adagrad(ParameterTracker learningRate, Parameters parameters) {
            super(learningRate);
            this.parameters = parameters;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            float lr = learningRate(parameterId, updateCount(parameterId));
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray gradient = withWeightDecay(grad, weight, parameters.weightDecay());
                NDArray sum = state(sums, parameterId,
                        id -> weight.zerosLike().addi(scalar(weight, parameters.initialAccumulatorValue())));
                sum.addi(gradient.square());
                descend(weight, gradient.div(sum.sqrt().addi(scalar(weight, parameters.epsilon()))), lr, 0f);
            }
        }
    }
}

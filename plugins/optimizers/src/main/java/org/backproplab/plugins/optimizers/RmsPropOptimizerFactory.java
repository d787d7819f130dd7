package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/**
 * RMSProp (Hinton's lecture 6e; centred as in Graves, 2013) as {@code torch.optim.RMSprop}: with g the
 * gradient plus weight_decay·w, s ← α·s + (1−α)·g², and the step divides g by √s + ε. Centred, it
 * divides by √(s − ḡ²) + ε, ḡ ← α·ḡ + (1−α)·g being the running mean of the gradient. With momentum the
 * quotient feeds a velocity b ← momentum·b + g/(√s + ε), and w ← w − lr·b.
 */
public final class RmsPropOptimizerFactory implements OptimizerFactory<RmsPropOptimizerFactory.Parameters> {

    /** The parameters of {@code rmsprop}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "decay of the running mean of squared gradients (PyTorch's alpha, often written rho)", defaultValue = "0.99")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double alpha,
            @Param(value = "added to the denominator for numerical stability", defaultValue = "1.0e-8") @Positive double epsilon,
            @Param(value = "momentum coefficient of the scaled step; 0 for none", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double momentum,
            @Param(value = "L2 weight decay, added to the gradient as weight_decay·w", defaultValue = "0.0") @DecimalMin("0") double weightDecay,
            @Param(value = "normalise by the estimated variance of the gradient instead of its second moment", defaultValue = "false")
                    boolean centered) {}

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public String description() {
        return "RMSProp: steps scaled by a running root mean square of the gradient, optionally centred and with momentum.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        return new RmsProp(context.learningRate(parameters.lr()), parameters);
    }

    /** The update rule of {@code torch.optim.RMSprop}. */
    static final class RmsProp extends TorchRuleOptimizer {

        private final Parameters parameters;
        private final Map<String, NDArray> squareAverages = states();
        private final Map<String, NDArray> gradientAverages = states();
        private final Map<String, NDArray> velocities = states();

        RmsProp(ParameterTracker learningRate, Parameters parameters) {
            super(learningRate);
            this.parameters = parameters;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            float lr = learningRate(parameterId, updateCount(parameterId));
            double alpha = parameters.alpha();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray gradient = withWeightDecay(grad, weight, parameters.weightDecay());
                NDArray squareAverage = state(squareAverages, parameterId, id -> weight.zerosLike());
                squareAverage.muli(scalar(weight, alpha)).addi(gradient.square().muli(scalar(weight, 1 - alpha)));
                NDArray denominator;
                if (parameters.centered()) {
                    NDArray gradientAverage = state(gradientAverages, parameterId, id -> weight.zerosLike());
                    gradientAverage.muli(scalar(weight, alpha)).addi(gradient.mul(scalar(weight, 1 - alpha)));
                    denominator = squareAverage.sub(gradientAverage.square()).sqrt();
                } else {
                    denominator = squareAverage.sqrt();
                }
                NDArray scaled = gradient.div(denominator.addi(scalar(weight, parameters.epsilon())));
                if (parameters.momentum() > 0) {
                    NDArray velocity = state(velocities, parameterId, id -> weight.zerosLike());
                    scaled = velocity.muli(scalar(weight, parameters.momentum())).addi(scaled);
                }
                descend(weight, scaled, lr, 0f);
            }
        }
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD} (no dampening): with g the gradient plus
 * weight_decay·w, the velocity is b ← momentum·b + g and the step w ← w − lr·b, or w ← w − lr·(g +
 * momentum·b) with {@code nesterov}. Optionally each gradient element is first clipped to [−c, c].
 */
public final class SgdOptimizerFactory implements OptimizerFactory<SgdOptimizerFactory.Parameters> {

    /** The parameters of {@code sgd}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "momentum coefficient; 0 is plain SGD", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double momentum,
            @Param(value = "L2 weight decay, added to the gradient as weight_decay·w", defaultValue = "0.0") @DecimalMin("0") double weightDecay,
            @Param(value = "clip each gradient element to [-clip_grad, clip_grad]; absent means no clipping", defaultValue = Param.NONE)
                    @Positive Double clipGrad,
            @Param(value = "Nesterov momentum: step along g + momentum·b instead of b (needs momentum > 0)", defaultValue = "false")
                    boolean nesterov) {

        /** PyTorch refuses Nesterov without momentum too: it would silently be plain SGD. */
        @AssertTrue(message = "nesterov: true needs a momentum greater than 0")
        public boolean isMomentumGivenForNesterov() {
            return !nesterov || momentum > 0;
        }
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "Stochastic gradient descent with optional momentum (classical or Nesterov), weight decay and element-wise clipping.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        return new Sgd(context.learningRate(parameters.lr()), parameters);
    }

    /** The update rule of {@code torch.optim.SGD} with dampening 0. */
    static final class Sgd extends TorchRuleOptimizer {

        private final float momentum;
        private final float weightDecay;
        private final Float clipGrad;
        private final boolean nesterov;
        private final Map<String, NDArray> velocities = states();

        Sgd(ParameterTracker learningRate, Parameters parameters) {
            super(learningRate);
            this.momentum = (float) parameters.momentum();
            this.weightDecay = (float) parameters.weightDecay();
            this.clipGrad = parameters.clipGrad() == null ? null : parameters.clipGrad().floatValue();
            this.nesterov = parameters.nesterov();
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            float lr = learningRate(parameterId, updateCount(parameterId));
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray gradient = clipGrad == null ? grad : grad.clip(-clipGrad, clipGrad);
                if (momentum == 0f) {
                    // Plain SGD: the fused update adds the decay itself, w ← w − lr·(g + λw).
                    descend(weight, gradient, lr, weightDecay);
                    return;
                }
                gradient = withWeightDecay(gradient, weight, weightDecay);
                // PyTorch starts the velocity at g; from zeros, momentum·0 + g is the same.
                NDArray velocity = state(velocities, parameterId, id -> weight.zerosLike());
                velocity.muli(scalar(weight, momentum)).addi(gradient);
                NDArray direction = nesterov ? gradient.add(velocity.mul(scalar(weight, momentum))) : velocity;
                descend(weight, direction, lr, 0f);
            }
        }
    }
}

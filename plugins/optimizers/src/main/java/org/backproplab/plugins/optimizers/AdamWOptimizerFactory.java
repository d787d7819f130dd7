package org.backproplab.plugins.optimizers;

import ai.djl.training.optimizer.Optimizer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/**
 * AdamW (Loshchilov and Hutter, 2019) as {@code torch.optim.AdamW}: Adam whose weight decay shrinks
 * the weight directly, w ← w·(1 − lr·weight_decay), instead of entering the moments as a gradient.
 */
public final class AdamWOptimizerFactory implements OptimizerFactory<AdamWOptimizerFactory.Parameters> {

    /** The parameters of {@code adamw}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.001") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "decay of the first-moment estimate", defaultValue = "0.9")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double beta1,
            @Param(value = "decay of the second-moment estimate", defaultValue = "0.999")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double beta2,
            @Param(value = "added to the denominator for numerical stability", defaultValue = "1.0e-8") @Positive double epsilon,
            @Param(value = "decoupled weight decay: each step multiplies the weight by 1 - lr·weight_decay", defaultValue = "0.01")
                    @DecimalMin("0") double weightDecay) {}

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public String description() {
        return "AdamW: Adam with decoupled weight decay (Loshchilov & Hutter).";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        return new TorchAdam(context.learningRate(parameters.lr()), parameters.beta1(), parameters.beta2(),
                parameters.epsilon(), parameters.weightDecay(), true);
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.training.optimizer.Optimizer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/**
 * Adam (Kingma and Ba, 2015) as {@code torch.optim.Adam}: per-parameter step sizes from running
 * moments of the gradient, weight decay added to the gradient (L2).
 */
public final class AdamOptimizerFactory implements OptimizerFactory<AdamOptimizerFactory.Parameters> {

    /** The parameters of {@code adam}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.001") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "decay of the first-moment estimate", defaultValue = "0.9")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double beta1,
            @Param(value = "decay of the second-moment estimate", defaultValue = "0.999")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double beta2,
            @Param(value = "added to the denominator for numerical stability", defaultValue = "1.0e-8") @Positive double epsilon,
            @Param(value = "L2 weight decay, added to the gradient as weight_decay·w", defaultValue = "0.0") @DecimalMin("0") double weightDecay) {}

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam: adaptive moment estimation, with L2 weight decay.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        return new TorchAdam(context.learningRate(parameters.lr()), parameters.beta1(), parameters.beta2(),
                parameters.epsilon(), parameters.weightDecay(), false);
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/** Adam (Kingma and Ba, 2015): per-parameter step sizes from running moments of the gradient. */
public final class AdamOptimizerFactory implements OptimizerFactory<AdamOptimizerFactory.Parameters> {

    /** The parameters of {@code adam}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.001") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "decay of the first-moment estimate", defaultValue = "0.9")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double beta1,
            @Param(value = "decay of the second-moment estimate", defaultValue = "0.999")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double beta2,
            @Param(value = "added to the denominator for numerical stability", defaultValue = "1.0e-8") @Positive double epsilon,
            @Param(value = "L2 weight decay", defaultValue = "0.0") @DecimalMin("0") double weightDecay) {}

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam: adaptive moment estimation.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        return Adam.builder()
                .optLearningRateTracker(context.learningRate(parameters.lr()))
                .optBeta1((float) parameters.beta1())
                .optBeta2((float) parameters.beta2())
                .optEpsilon((float) parameters.epsilon())
                .optWeightDecays((float) parameters.weightDecay())
                .build();
    }
}

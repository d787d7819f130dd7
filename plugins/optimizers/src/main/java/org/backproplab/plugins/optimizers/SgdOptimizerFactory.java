package org.backproplab.plugins.optimizers;

import ai.djl.training.optimizer.Optimizer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;

/** Stochastic gradient descent, w ← w − lr·g, with optional momentum and weight decay. */
public final class SgdOptimizerFactory implements OptimizerFactory<SgdOptimizerFactory.Parameters> {

    /** The parameters of {@code sgd}. */
    public record Parameters(
            @Param(value = "learning rate", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "momentum coefficient; 0 is plain SGD", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double momentum,
            @Param(value = "L2 weight decay", defaultValue = "0.0") @DecimalMin("0") double weightDecay,
            @Param(value = "clip each gradient element to [-clip_grad, clip_grad]; absent means no clipping", defaultValue = Param.NONE)
                    @Positive Double clipGrad) {}

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "Stochastic gradient descent with optional momentum and weight decay.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Optimizer create(Parameters parameters, OptimizerContext context) {
        var builder = Optimizer.sgd()
                .setLearningRateTracker(context.learningRate(parameters.lr()))
                .optMomentum((float) parameters.momentum())
                .optWeightDecays((float) parameters.weightDecay());
        return parameters.clipGrad() == null
                ? builder.build()
                : new ClippedGradients(builder.build(), parameters.clipGrad().floatValue());
    }
}

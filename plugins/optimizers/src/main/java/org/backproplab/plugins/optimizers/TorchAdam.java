package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;

/**
 * The update rule of {@code torch.optim.Adam} and {@code AdamW}, through the engine's fused Adam
 * update (one native call per parameter).
 *
 * <p>That update computes w ← w − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε), with ε outside the bias
 * correction, as DJL's own {@code Adam} uses it. PyTorch divides by √v/√(1−β₂ᵗ) + ε; passing
 * ε·√(1−β₂ᵗ) makes the two equal, which matters where √v is near ε (small gradients, early steps).
 * With {@code decoupled} the fused update first shrinks the weight by lr·weight_decay·w (AdamW);
 * otherwise it adds weight_decay·w to the gradient (Adam's L2).
 */
final class TorchAdam extends TorchRuleOptimizer {

    private final float beta1;
    private final float beta2;
    private final double epsilon;
    private final float weightDecay;
    private final boolean decoupled;
    private final Map<String, NDArray> means = states();
    private final Map<String, NDArray> variances = states();

    TorchAdam(ParameterTracker learningRate, double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled) {
        super(learningRate);
        // The fused update weights the moments by 1 − β in float; correcting with the same float β keeps
        // the bias correction exact (with the double 0.999 the first step would be off by 1e-5 relative).
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = epsilon;
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int step = updateCount(parameterId);
        float lr = learningRate(parameterId, step);
        double firstCorrection = 1 - Math.pow(beta1, step);
        double secondCorrectionRoot = Math.sqrt(1 - Math.pow(beta2, step));
        NDArray mean = state(means, parameterId, id -> weight.zerosLike());
        NDArray variance = state(variances, parameterId, id -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, mean, variance),
                new NDList(weight),
                lr,
                (float) (lr * secondCorrectionRoot / firstCorrection),
                weightDecay,
                1f,
                -1f,
                beta1,
                beta2,
                (float) (epsilon * secondCorrectionRoot),
                true,
                decoupled);
    }
}

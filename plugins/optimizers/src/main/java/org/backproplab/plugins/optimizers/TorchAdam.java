package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.tracker.ParameterTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.backproplab.spi.FusedUpdate;
import org.backproplab.spi.UpdateScript;

/**
 * The update rule of {@code torch.optim.Adam} and {@code AdamW}, through PyTorch's own fused update
 * ({@link FusedAdamUpdate}): w ← w − lr/(1−β₁ᵗ) · m/(√v/√(1−β₂ᵗ) + ε). With {@code decoupled} the weight first
 * shrinks by lr·weight_decay·w (AdamW); otherwise weight_decay·w joins the gradient (Adam's L2). The training loop
 * updates all parameters of a step in one call ({@link FusedUpdate}); {@link #update} is the same for one.
 */
final class TorchAdam extends TorchRuleOptimizer implements FusedUpdate {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final boolean decoupled;
    private final Map<String, NDArray> means = states();
    private final Map<String, NDArray> variances = states();
    private final Map<String, NDArray> steps = states();

    TorchAdam(ParameterTracker learningRate, double beta1, double beta2, double epsilon, double weightDecay, boolean decoupled) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** As DJL's updates: the weight's own gradient is zeroed too, whichever array {@code grad} is. */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        updateAll(List.of(parameterId), List.of(weight), List.of(grad));
        JniUtils.zeroGrad((PtNDArray) weight);
    }

    @Override
    public void updateAll(List<String> parameterIds, List<NDArray> weights, List<NDArray> gradients) {
        int count = parameterIds.size();
        float[] rates = new float[count];
        boolean oneRate = true;
        for (int i = 0; i < count; i++) {
            rates[i] = learningRate(parameterIds.get(i), updateCount(parameterIds.get(i)));
            oneRate &= Float.floatToIntBits(rates[i]) == Float.floatToIntBits(rates[0]);
        }
        if (oneRate) {
            fused(parameterIds, weights, gradients, rates[0]);
            return;
        }
        for (int i = 0; i < count; i++) { // a schedule that rates parameters apart: one call each
            fused(List.of(parameterIds.get(i)), List.of(weights.get(i)), List.of(gradients.get(i)), rates[i]);
        }
    }

    @Override
    public Optional<UpdateScript> updateScript() {
        return Optional.of(new UpdateScript(FusedAdamUpdate.statements(decoupled), FusedAdamUpdate.STATES,
                FusedAdamUpdate.HYPERPARAMETERS));
    }

    /** This step's moments, step counts and floats, where one learning rate holds for every parameter. */
    @Override
    public Optional<UpdateScript.Arguments> scriptArguments(List<String> parameterIds, List<NDArray> weights) {
        float lr = learningRate(parameterIds.get(0), nextCount(parameterIds.get(0)));
        for (String id : parameterIds) {
            if (Float.floatToIntBits(learningRate(id, nextCount(id))) != Float.floatToIntBits(lr)) {
                return Optional.empty(); // rated apart: one call each, through updateAll
            }
        }
        parameterIds.forEach(this::updateCount);
        return Optional.of(new UpdateScript.Arguments(states(parameterIds, weights),
                List.of((double) lr, beta1, beta2, weightDecay, epsilon)));
    }

    private void fused(List<String> parameterIds, List<NDArray> weights, List<NDArray> gradients, float lr) {
        List<List<NDArray>> states = states(parameterIds, weights);
        FusedAdamUpdate.update(decoupled, weights, gradients, states.get(0), states.get(1), states.get(2), lr,
                beta1, beta2, weightDecay, epsilon);
    }

    /** The weights' first and second moments and step counts, made at first use. */
    private List<List<NDArray>> states(List<String> parameterIds, List<NDArray> weights) {
        List<NDArray> parameterMeans = new ArrayList<>(weights.size());
        List<NDArray> parameterVariances = new ArrayList<>(weights.size());
        List<NDArray> parameterSteps = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            NDArray weight = weights.get(i);
            String id = parameterIds.get(i);
            parameterMeans.add(state(means, id, key -> weight.zerosLike()));
            parameterVariances.add(state(variances, id, key -> weight.zerosLike()));
            parameterSteps.add(state(steps, id, key -> weight.getManager().create(0f))); // torch.optim's step count
        }
        return List.of(parameterMeans, parameterVariances, parameterSteps);
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A DJL optimizer following the update rule of one {@code torch.optim} algorithm exactly.
 *
 * <p>DJL's own {@code RmsProp}, {@code Adagrad} and {@code Nag} call updates that its PyTorch engine
 * does not implement, and its {@code Sgd} keeps momentum in MXNet's convention (the velocity holds
 * lr·g, which differs from PyTorch's once a schedule changes the rate). A subclass computes its step
 * with NDArray operations and hands it to {@link #descend}, which applies it through the engine's
 * fused SGD update: that update runs without autograd and zeroes the weight's gradient, which the
 * PyTorch engine otherwise accumulates across steps.
 */
abstract class TorchRuleOptimizer extends Optimizer {

    private final ParameterTracker learningRate;

    TorchRuleOptimizer(ParameterTracker learningRate) {
        super(new NoOptions());
        this.learningRate = learningRate;
    }

    /** Updates counted per parameter; {@link #updateCount} as DJL's, which also gives a peek ({@link #nextCount}). */
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private int mostUpdates;

    /** DJL's count: this parameter's updates including this one, or the most any parameter had, if more. */
    @Override
    protected int updateCount(String parameterId) {
        mostUpdates = Math.max(mostUpdates, counts.merge(parameterId, 1, Integer::sum));
        return mostUpdates;
    }

    /** What {@link #updateCount} will answer next for this parameter, counting nothing. */
    final int nextCount(String parameterId) {
        return Math.max(mostUpdates, counts.getOrDefault(parameterId, 0) + 1);
    }

    /**
     * The learning rate of this step, counted per parameter from 1 as DJL does.
     *
     * @throws IllegalStateException when the schedule gives no finite rate
     */
    final float learningRate(String parameterId, int step) {
        float rate = learningRate.getNewValue(parameterId, step);
        if (!Float.isFinite(rate)) {
            throw new IllegalStateException("the learning rate at step " + step + " is " + rate);
        }
        return rate;
    }

    /**
     * The state array of one parameter, made on first use. It lives as long as the weight's manager,
     * outside any {@link NDScope} the update opened.
     */
    static NDArray state(Map<String, NDArray> states, String parameterId, Function<String, NDArray> initial) {
        return states.computeIfAbsent(parameterId, id -> {
            NDArray array = initial.apply(id);
            NDScope.unregister(array);
            return array;
        });
    }

    /** A new state map. */
    static Map<String, NDArray> states() {
        return new ConcurrentHashMap<>();
    }

    /**
     * A scalar of the weight's manager. Constants are arrays, not {@code Number}s, as everywhere in the
     * lab (DJL frees its temporary for {@code mul(Number)} at once); inside an update's scope it is
     * freed with the other temporaries.
     */
    static NDArray scalar(NDArray weight, double value) {
        return weight.getManager().create((float) value);
    }

    /** The gradient plus L2 weight decay, g + decay·w, as torch.optim adds it before its rule. */
    static NDArray withWeightDecay(NDArray gradient, NDArray weight, double decay) {
        return decay == 0 ? gradient : gradient.add(weight.mul(scalar(weight, decay)));
    }

    /**
     * {@code weight ← weight − lr·(direction + decay·weight)}, then zeroes the weight's gradient.
     *
     * @param decay weight decay applied to the weight itself, 0 for none
     */
    static void descend(NDArray weight, NDArray direction, float lr, float decay) {
        weight.getNDArrayInternal()
                .sgdUpdate(new NDList(weight, direction), new NDList(weight), lr, decay, 1f, -1f, 0f, false);
    }

    /** DJL's optimizers take their common options from a builder; these rules use none of them. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}

package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The layers of a network as diagnostics see them: every weight parameter in block order is one
 * layer, numbered from the input ({@code layer_01}) with zero padding so charts sort.
 */
final class LayerGradients {

    private final List<Parameter> weights = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    LayerGradients(Block block) {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            if (entry.getValue().getType() == Parameter.Type.WEIGHT) {
                weights.add(entry.getValue());
            }
        }
        int digits = Math.max(2, String.valueOf(weights.size()).length());
        for (int i = 1; i <= weights.size(); i++) {
            names.add(String.format(Locale.ROOT, "layer_%0" + digits + "d", i));
        }
    }

    List<String> names() {
        return names;
    }

    /**
     * The L2 norm of each weight's gradient. Must run after backward and before the optimizer step,
     * which zeroes gradients. The gradient handles DJL returns live in the model's manager, so they
     * are moved to the per-batch manager to be freed with it.
     */
    /** Copies of every weight in {@code manager}, to measure what the next optimizer step changes. */
    List<NDArray> weightCopies(NDManager manager) {
        List<NDArray> copies = new ArrayList<>();
        for (Parameter weight : weights) {
            NDArray copy = weight.getArray().duplicate();
            copy.attach(manager);
            copies.add(copy);
        }
        return copies;
    }

    /** The L2 norm of each array. */
    double[] norms(List<NDArray> arrays) {
        double[] norms = new double[arrays.size()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = arrays.get(i).norm().getFloat();
        }
        return norms;
    }

    /** ‖W − W_before‖ / ‖W_before‖ for each weight: how far the last step moved it, relative to its size. */
    double[] updateRatios(List<NDArray> before) {
        double[] ratios = new double[before.size()];
        for (int i = 0; i < ratios.length; i++) {
            NDArray previous = before.get(i);
            NDArray change = weights.get(i).getArray().sub(previous);
            change.attach(previous.getManager());
            ratios[i] = change.norm().getFloat() / previous.norm().getFloat();
        }
        return ratios;
    }

    double[] gradientNorms(NDManager batchManager) {
        double[] norms = new double[weights.size()];
        for (int i = 0; i < norms.length; i++) {
            NDArray gradient = weights.get(i).getArray().getGradient();
            gradient.attach(batchManager);
            norms[i] = gradient.norm().getFloat();
        }
        return norms;
    }
}

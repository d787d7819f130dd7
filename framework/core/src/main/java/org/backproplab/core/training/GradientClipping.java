package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.config.TrainingSettings;

/**
 * {@code training.clip_grad_norm} (scale all gradients together so their global L2 norm is at most
 * the limit, as PyTorch's {@code clip_grad_norm_}) and {@code training.clip_grad_value} (clamp each
 * element to [-c, c]), for any optimizer: applied in place between backward and the update.
 */
final class GradientClipping {

    private final Double maxNorm;
    private final Double maxValue;
    private final List<Parameter> parameters = new ArrayList<>();

    GradientClipping(TrainingSettings settings, ai.djl.nn.Block block) {
        this.maxNorm = settings.clipGradNorm();
        this.maxValue = settings.clipGradValue();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            if (entry.getValue().requiresGradient()) {
                parameters.add(entry.getValue());
            }
        }
    }

    /** Whether it changes gradients at all (by norm or by value): then every step's gradients are read. */
    boolean clips() {
        return maxNorm != null || maxValue != null;
    }

    /** Whether the global norm must be measured at every step anyway, to clip by it. */
    boolean clipsByNorm() {
        return maxNorm != null;
    }

    /**
     * Clips the gradients in place.
     *
     * @param measureNorm compute the global norm even when not clipping by it
     * @return the global L2 norm of all gradients before clipping, or NaN when not measured
     */
    double apply(NDManager manager, boolean measureNorm) {
        if (maxNorm == null && maxValue == null && !measureNorm) {
            return Double.NaN;
        }
        List<NDArray> gradients = new ArrayList<>(parameters.size());
        for (Parameter parameter : parameters) {
            NDArray gradient = parameter.getArray().getGradient();
            gradient.attach(manager);
            gradients.add(gradient);
        }
        double norm = Double.NaN;
        if (maxNorm != null || measureNorm) {
            double squares = 0;
            for (NDArray gradient : gradients) {
                // Sum in float64 on the Java side: a float32 sum of squares overflows for exploding networks.
                double partial = gradient.norm().getFloat();
                squares += partial * partial;
            }
            norm = Math.sqrt(squares);
        }
        if (maxNorm != null && norm > maxNorm) {
            NDArray scale = manager.create((float) (maxNorm / (norm + 1e-6)));
            gradients.forEach(gradient -> gradient.muli(scale));
        }
        if (maxValue != null) {
            float limit = maxValue.floatValue();
            for (NDArray gradient : gradients) {
                // In place, so the optimizer sees it: take away what lies beyond [-limit, limit].
                gradient.subi(gradient.sub(gradient.clip(-limit, limit)));
            }
        }
        return norm;
    }
}

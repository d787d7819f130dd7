package org.backproplab.core.report;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BinaryOperator;

/**
 * The gradient norm of every layer of one trial at one step.
 *
 * @param step the step the norms were logged at
 * @param norms the norm of layer {@code i} at index {@code i - 1}; NaN where that layer has no finite value
 */
record GradientProfile(long step, List<Double> norms) {

    GradientProfile {
        norms = List.copyOf(norms);
    }

    /** The norms at the first step any gradient norm was logged: the network as initialised. */
    static Optional<GradientProfile> atInitialisation(TrialData trial) {
        return at(trial, Math::min);
    }

    /** The norms at the last step any gradient norm was logged: the end of training. */
    static Optional<GradientProfile> atEnd(TrialData trial) {
        return at(trial, Math::max);
    }

    int layerCount() {
        return norms.size();
    }

    /** The norm of {@code layer} (1 = next to the input), NaN if unknown. */
    double norm(int layer) {
        return layer >= 1 && layer <= norms.size() ? norms.get(layer - 1) : Double.NaN;
    }

    /**
     * First-layer norm over last-layer norm: about 1 when gradients flow, tiny when they vanish toward the input.
     * NaN when either is missing, or for a one-layer network.
     */
    double firstToLastRatio() {
        if (norms.size() < 2) {
            return Double.NaN;
        }
        double ratio = norms.get(0) / norms.get(norms.size() - 1);
        return Double.isFinite(ratio) && ratio > 0 ? ratio : Double.NaN;
    }

    private static Optional<GradientProfile> at(TrialData trial, BinaryOperator<Long> pickStep) {
        Long step = null;
        int layers = 0;
        for (Map.Entry<String, List<MetricPoint>> entry : trial.metrics().entrySet()) {
            OptionalInt layer = MetricKeys.gradNormLayer(entry.getKey());
            if (layer.isEmpty() || entry.getValue().isEmpty()) {
                continue;
            }
            layers = Math.max(layers, layer.getAsInt());
            for (MetricPoint point : entry.getValue()) {
                step = step == null ? point.step() : pickStep.apply(step, point.step());
            }
        }
        if (step == null) {
            return Optional.empty();
        }
        double[] norms = new double[layers];
        Arrays.fill(norms, Double.NaN);
        for (Map.Entry<String, List<MetricPoint>> entry : trial.metrics().entrySet()) {
            OptionalInt layer = MetricKeys.gradNormLayer(entry.getKey());
            if (layer.isPresent()) {
                norms[layer.getAsInt() - 1] = valueAt(entry.getValue(), step);
            }
        }
        return Optional.of(new GradientProfile(step, Arrays.stream(norms).boxed().toList()));
    }

    /** The last value logged at {@code step}, NaN if none or not finite. */
    private static double valueAt(List<MetricPoint> history, long step) {
        double value = Double.NaN;
        for (MetricPoint point : history) {
            if (point.step() == step) {
                value = point.value();
            }
        }
        return Double.isFinite(value) ? value : Double.NaN;
    }
}

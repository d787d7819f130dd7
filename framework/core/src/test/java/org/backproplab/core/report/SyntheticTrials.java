package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trials with known numbers: per-layer gradient norms that shrink toward the input by a fixed factor per layer
 * (0.1 for sigmoid/xavier, so depth 6 has first/last = 1e-5; exactly 1 for relu/he), and learning curves.
 */
final class SyntheticTrials {

    static final double LAST_LAYER_NORM = 0.5;
    static final long FIRST_STEP = 0;
    static final long LAST_STEP = 100;

    private SyntheticTrials() {}

    /** Per-layer shrink factor toward the input at initialisation. */
    static double factor(String activation, String init) {
        return switch (activation + "/" + init) {
            case "sigmoid/xavier" -> 0.1;
            case "sigmoid/he" -> 0.2;
            case "relu/xavier" -> 0.9;
            default -> 1.0;
        };
    }

    /** The gradient norm of {@code layer} at initialisation; at the last step it is half of that. */
    static double initialNorm(int depth, int layer, String activation, String init) {
        return LAST_LAYER_NORM * Math.pow(factor(activation, init), depth - layer);
    }

    /** Final eval/accuracy: relu beats sigmoid, shallower beats deeper. */
    static double finalAccuracy(int depth, String activation, String init) {
        return (activation.equals("relu") ? 0.95 : 0.60) - 0.01 * depth - (init.equals("he") ? 0 : 0.005);
    }

    /** depth {2, 4, 6} × activation {relu, sigmoid} × init {he, xavier}. */
    static ReportData sweep() {
        List<TrialData> trials = new ArrayList<>();
        for (int depth : new int[] {2, 4, 6}) {
            for (String activation : List.of("relu", "sigmoid")) {
                for (String init : List.of("he", "xavier")) {
                    trials.add(trial(depth, activation, init, "0.05"));
                }
            }
        }
        return new ReportData("Vanishing gradients", trials, "eval/accuracy", "max");
    }

    static TrialData trial(int depth, String activation, String init, String lr) {
        Map<String, List<MetricPoint>> metrics = new LinkedHashMap<>();
        for (int layer = 1; layer <= depth; layer++) {
            double norm = initialNorm(depth, layer, activation, init);
            metrics.put(String.format("grad_norm/layer_%02d", layer), List.of(
                    new MetricPoint(FIRST_STEP, norm),
                    new MetricPoint(50, norm * 0.8),
                    new MetricPoint(LAST_STEP, norm * 0.5)));
        }
        double accuracy = finalAccuracy(depth, activation, init);
        List<MetricPoint> loss = new ArrayList<>();
        for (long step = FIRST_STEP; step <= LAST_STEP; step += 10) {
            loss.add(new MetricPoint(step, 2.3 * Math.exp(-step * accuracy / 40.0)));
        }
        metrics.put("train/loss", loss);
        metrics.put("eval/accuracy", List.of(new MetricPoint(FIRST_STEP, 0.1), new MetricPoint(LAST_STEP, accuracy)));
        String name = "d" + depth + "-" + activation + "-" + init + "-lr" + lr;
        Map<String, String> params = Map.of("model.depth", Integer.toString(depth), "model.activation", activation,
                "model.init", init, "optimizer.lr", lr, "seed", "42");
        return new TrialData("run-" + name, name, "FINISHED", params, metrics);
    }
}

package org.backproplab.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Step;
import org.backproplab.spi.Training;

/**
 * Names an explosion that training survived: a loss that ended orders of magnitude above where it
 * started, or gradient norms that grow toward the input (the first layer's many times the last's),
 * so that a FINISHED run does not hide them. Reads the loss of every step and the
 * {@code grad_norm/layer_NN} the diagnostics record; runs after them.
 */
public final class ExplosionWatch implements Callback {

    /** Final over first loss above which the loss is said to have grown. */
    public static final double LOSS_GROWTH = 1000;
    /** First-layer over last-layer gradient norm above which gradients are said to explode toward the input. */
    public static final double GRADIENT_GROWTH = 100;

    private double firstLoss = Double.NaN;
    private long firstStep;
    private double lastLoss = Double.NaN;
    private long lastStep;
    private double worstRatio = Double.NaN;
    private long worstRatioStep;
    private String firstLayer;
    private String lastLayer;
    private String warning;

    @Override
    public void afterUpdate(Training training, Step step) {
        double loss = step.lossValue();
        if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
            firstStep = step.number();
        }
        lastLoss = loss;
        lastStep = step.number();
        List<Layer> layers = training.layers();
        if (layers.size() >= 2 && (training.isLogStep() || step.number() == 1)) {
            Double first = training.latestMetrics().get("grad_norm/" + layers.get(0).name());
            Double last = training.latestMetrics().get("grad_norm/" + layers.get(layers.size() - 1).name());
            if (first != null && last != null && last > 0) {
                double ratio = first / last;
                if (Double.isNaN(worstRatio) || ratio > worstRatio) {
                    worstRatio = ratio;
                    worstRatioStep = step.number();
                    firstLayer = layers.get(0).name();
                    lastLayer = layers.get(layers.size() - 1).name();
                }
            }
        }
    }

    @Override
    public void onTrainEnd(Training training, String outcome) {
        List<String> warnings = new ArrayList<>();
        if (firstLoss > 0 && lastLoss / firstLoss > LOSS_GROWTH) {
            warnings.add(String.format(Locale.ROOT, "loss grew %s× (from %.3g at step %d to %.3g at step %d)",
                    power(lastLoss / firstLoss), firstLoss, firstStep, lastLoss, lastStep));
        }
        if (worstRatio > GRADIENT_GROWTH) {
            warnings.add(String.format(Locale.ROOT, "gradients explode toward the input: %s is %s × %s (step %d)",
                    firstLayer, power(worstRatio), lastLayer, worstRatioStep));
        }
        warning = warnings.isEmpty() ? null : String.join("; ", warnings);
    }

    /** What went wrong, for the console and the {@code lab.warning} tag; empty when nothing did. */
    public Optional<String> warning() {
        return Optional.ofNullable(warning);
    }

    /** 10^N, N the whole orders of magnitude: "10^9". */
    static String power(double ratio) {
        return "10^" + (long) Math.floor(Math.log10(ratio));
    }
}

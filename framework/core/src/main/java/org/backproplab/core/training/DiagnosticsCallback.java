package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.DiagnosticsSettings;
import org.backproplab.core.report.GradientProfilePicture;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Step;
import org.backproplab.spi.Training;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-layer diagnostics: {@code grad_norm/layer_NN} and {@code grad_norm_bias/layer_NN} always, and with {@code diagnostics.enabled}
 * {@code weight_norm/}, {@code update_ratio/}, the activation statistics of {@link ActivationStatistics} and
 * {@code delta_norm/layer_NN}, the L2 norm of the layer's δ = ∂L/∂z over the whole batch ({@link LayerDeltas}: one
 * extra forward and backward pass that leaves the gradients the optimizer uses as they were; none for models it
 * cannot handle, such as those with dropout, which the debug log names once).
 * Measured at step 1, at every logged step, and every {@code diagnostics.every} steps. At the end,
 * the first/last gradient ratio at initialisation and at the last measurement, and the gradient
 * profile over the layers ({@code grad_profile/init} and {@code grad_profile/end}, with the layer
 * number as the step, so MLflow draws the profile as one chart) and as {@code diagnostics/gradient-profile.png}.
 */
final class DiagnosticsCallback implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsCallback.class);

    private final DiagnosticsSettings settings;
    private final Loss loss;
    private ActivationStatistics activations;
    private LayerDeltas deltas;
    private double[] initialNorms;
    private double[] lastNorms;
    private long initialStep;
    private long lastStep;
    private List<NDArray> weightsBefore = List.of();

    /** @param loss the run's loss, differentiated again for the deltas */
    DiagnosticsCallback(DiagnosticsSettings settings, Loss loss) {
        this.settings = settings;
        this.loss = loss;
    }

    @Override
    public void onTrainStart(Training training) {
        activations = new ActivationStatistics(training.model(), training.layers().size(), settings.saturationThreshold());
        deltas = null;
        if (settings.enabled() && !training.layers().isEmpty()) {
            LayerDeltas candidate = new LayerDeltas(training.model(), training.layers(), loss);
            if (candidate.unsupported() == null) {
                deltas = candidate;
            } else {
                LOG.debug("delta_norm/* not recorded for {}: it has {}", training.model().getClass().getSimpleName(),
                        candidate.unsupported());
            }
        }
    }

    private boolean measuresNow(Training training) {
        long step = training.step();
        return training.isLogStep() || step == 1 || (settings.every() > 0 && step % settings.every() == 0);
    }

    @Override
    public boolean readsBeforeUpdate(Training training) {
        return !training.layers().isEmpty() && measuresNow(training);
    }

    @Override
    public void beforeUpdate(Training training, Step step) {
        weightsBefore = List.of();
        List<Layer> layers = training.layers();
        if (layers.isEmpty() || !measuresNow(training)) {
            return;
        }
        NDManager manager = step.manager();
        List<NDArray> gradients = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            NDArray gradient = layer.weight().getArray().getGradient();
            gradient.attach(manager);
            gradients.add(gradient);
        }
        lastNorms = norms(gradients);
        lastStep = training.step();
        if (initialNorms == null) {
            initialNorms = lastNorms;
            initialStep = lastStep;
        }
        record(training, "grad_norm/", lastNorms);
        recordBiasGradients(training, layers, manager);
        if (!settings.enabled()) {
            return;
        }
        List<NDArray> copies = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            NDArray copy = layer.weight().getArray().duplicate();
            copy.attach(manager);
            copies.add(copy);
        }
        weightsBefore = copies;
        record(training, "weight_norm/", norms(copies));
        activations.measure(step.inputs(), manager).forEach(training::recordMetric);
        recordDeltas(training, step);
    }

    /** {@code delta_norm/layer_NN}; a failure of the extra pass ends the deltas for the run, never the run. */
    private void recordDeltas(Training training, Step step) {
        if (deltas == null) {
            return;
        }
        Map<Layer, NDArray> byLayer;
        try {
            byLayer = deltas.compute(step.inputs(), step.targets(), step.manager());
        } catch (RuntimeException e) {
            LOG.debug("delta_norm/* no longer recorded after step {}: the extra backward pass failed", training.step(), e);
            deltas = null;
            return;
        }
        if (byLayer.isEmpty()) {
            return;
        }
        List<Layer> layers = new ArrayList<>(byLayer.keySet());
        double[] values = norms(new ArrayList<>(byLayer.values()));
        for (int i = 0; i < values.length; i++) {
            training.recordMetric("delta_norm/" + layers.get(i).name(), values[i]);
        }
    }

    @Override
    public void afterUpdate(Training training, Step step) {
        if (weightsBefore.isEmpty()) {
            return;
        }
        List<Layer> layers = training.layers();
        List<NDArray> changes = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            NDArray change = layers.get(i).weight().getArray().sub(weightsBefore.get(i));
            change.attach(step.manager());
            changes.add(change);
        }
        double[] changeNorms = norms(changes);
        double[] weightNorms = norms(weightsBefore);
        double[] ratios = new double[changeNorms.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = changeNorms[i] / weightNorms[i];
        }
        record(training, "update_ratio/", ratios);
        weightsBefore = List.of();
    }

    @Override
    public void onTrainEnd(Training training, String outcome) {
        if (initialNorms == null) {
            return;
        }
        double initial = firstOverLast(initialNorms);
        double end = firstOverLast(lastNorms);
        training.recordMetric("summary/grad_ratio_first_last_init", initial);
        training.recordMetric("summary/grad_ratio_first_last_end", end);
        // log10, so that MLflow's compare and parallel-coordinates views show ratios of 1e-6 and 1e-2 apart.
        training.recordMetric("summary/log10_grad_ratio_init", Math.log10(initial));
        training.recordMetric("summary/log10_grad_ratio_end", Math.log10(end));
        // The profile over the layers, with the layer as the step: one MLflow chart per stage, one shared y-axis.
        for (int layer = 1; layer <= initialNorms.length; layer++) {
            training.recordMetric("grad_profile/init", initialNorms[layer - 1], layer);
            training.recordMetric("grad_profile/end", lastNorms[layer - 1], layer);
        }
        GradientProfilePicture.png("Gradient norm per layer", initialNorms, initialStep, lastNorms, lastStep)
                .ifPresent(png -> training.recordArtifact(new Artifact("diagnostics", "gradient-profile.png", png)));
    }

    /** {@code grad_norm_bias/layer_NN} of the layers that have a bias, read in one transfer. */
    private static void recordBiasGradients(Training training, List<Layer> layers, NDManager manager) {
        List<String> names = new ArrayList<>(layers.size());
        List<NDArray> gradients = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            layer.bias().filter(bias -> bias.getArray().hasGradient()).ifPresent(bias -> {
                NDArray gradient = bias.getArray().getGradient();
                gradient.attach(manager);
                names.add(layer.name());
                gradients.add(gradient);
            });
        }
        if (gradients.isEmpty()) {
            return;
        }
        double[] norms = norms(gradients);
        for (int i = 0; i < norms.length; i++) {
            training.recordMetric("grad_norm_bias/" + names.get(i), norms[i]);
        }
    }

    /** Every array's L2 norm, read from the engine in one transfer. */
    private static double[] norms(List<NDArray> arrays) {
        NDList norms = new NDList(arrays.size());
        for (NDArray array : arrays) {
            norms.add(array.norm());
        }
        float[] values = NDArrays.stack(norms).toFloatArray();
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static void record(Training training, String prefix, double[] values) {
        List<Layer> layers = training.layers();
        for (int i = 0; i < values.length; i++) {
            training.recordMetric(prefix + layers.get(i).name(), values[i]);
        }
    }

    /** How much smaller the gradient next to the input is than the one at the output: the vanishing factor. */
    private static double firstOverLast(double[] norms) {
        return norms == null || norms.length == 0 ? Double.NaN : norms[0] / norms[norms.length - 1];
    }
}

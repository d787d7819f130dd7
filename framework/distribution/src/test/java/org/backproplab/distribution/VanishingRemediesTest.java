package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.cli.LabModule;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * The headline of experiments/vanishing-remedies.yaml, on the shipped file itself cut to one step:
 * at initialisation, on one batch of 64 Fashion-MNIST images, the depth-10 sigmoid network's
 * first layer gets almost none of the last layer's gradient, and batch norm or skip connections
 * give it back by orders of magnitude.
 */
class VanishingRemediesTest {

    private final Injector injector = LabModule.createInjector();

    /** first/last gradient norm at step 1 of the shipped experiment with these overrides. */
    private double initialRatio(String... variant) throws Exception {
        String file = "vanishing-remedies.yaml";
        List<String> overrides = new ArrayList<>(List.of("sweep=null", "objective=null", "dataset.limit=64", "dataset.test_limit=64",
                "training.epochs=1", "training.log_every=1", "training.threads=1", "diagnostics.enabled=false"));
        overrides.addAll(List.of(variant));
        Experiment experiment = injector.getInstance(ExperimentLoader.class)
                .load(file, Files.readString(LabProcess.experiment(file)), overrides);
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        Map<String, Double> norms = new TreeMap<>();
        trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                if (step == 1 && key.startsWith("grad_norm/layer_")) {
                    norms.put(key, value);
                }
            }
        }, () -> false);
        List<Double> layers = new ArrayList<>(norms.values());
        assertThat(layers).as("one norm per weight layer: 10 hidden and the output").hasSize(11);
        return layers.get(0) / layers.get(layers.size() - 1);
    }

    @Test
    void batchNormAndSkipConnectionsLiftTheFirstLayersGradientByOrdersOfMagnitude() throws Exception {
        double plain = initialRatio();
        double batchNorm = initialRatio("model.batch_norm=true");
        double residual = initialRatio("model.residual=true");
        double relu = initialRatio("model.activation=relu", "model.init=he");
        String measured = String.format("first/last: plain %.3g, batch_norm %.3g, residual %.3g, relu/he %.3g",
                plain, batchNorm, residual, relu);
        assertThat(plain).as(measured).isLessThan(1e-3);
        assertThat(batchNorm).as(measured).isGreaterThan(100 * plain);
        assertThat(residual).as(measured).isGreaterThan(100 * plain);
        assertThat(relu).as(measured).isGreaterThan(100 * plain);
    }
}

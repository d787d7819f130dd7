package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
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
 * The headline result on the real engine and real data, at initialisation (the first step's
 * gradients on one batch of 64 Fashion-MNIST images): deep sigmoid networks with Glorot
 * initialisation lose gradient toward the input, ReLU with He and tanh with Glorot keep it.
 */
class VanishingGradientsTest {

    private static final String EXPERIMENT = """
            name: vanishing
            seed: 3
            dataset:   { type: fashion-mnist, limit: 64, test_limit: 64 }
            model:     { type: mlp, depth: 8, width: 128, activation: sigmoid, init: xavier }
            loss:      { type: softmax_cross_entropy }
            optimizer: { type: sgd, lr: 0.01 }
            training:  { epochs: 1, batch_size: 64, log_every: 1, threads: 1 }
            """;

    private final Injector injector = LabModule.createInjector();

    /** grad_norm of each layer at step 1, input side first. */
    private double[] initialGradientNorms(String... overrides) throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("vanishing.yaml", EXPERIMENT, List.of(overrides));
        return InitialGradients.of(injector, experiment).stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double spread(double[] norms) {
        double max = java.util.Arrays.stream(norms).max().orElseThrow();
        double min = java.util.Arrays.stream(norms).min().orElseThrow();
        return max / min;
    }

    @Test
    void sigmoidWithGlorotVanishesTowardTheInputAtDepthEightAndTen() throws Exception {
        for (String depth : List.of("8", "10")) {
            double[] norms = initialGradientNorms("model.depth=" + depth);
            assertThat(norms).hasSize(Integer.parseInt(depth) + 1);
            assertThat(norms[0] / norms[norms.length - 1]).as("first/last at depth %s", depth).isLessThan(1e-3);
            // It shrinks layer after layer toward the input, not in one jump.
            for (int layer = 1; layer < norms.length - 1; layer++) {
                assertThat(norms[layer - 1]).as("layer %d vs %d", layer, layer + 1).isLessThan(norms[layer]);
            }
        }
    }

    @Test
    void reluWithHeAndTanhWithGlorotKeepTheirGradients() throws Exception {
        double[] relu = initialGradientNorms("model.depth=10", "model.activation=relu", "model.init=he");
        double[] tanh = initialGradientNorms("model.depth=10", "model.activation=tanh", "model.init=xavier");
        assertThat(spread(relu)).as("relu/he spread over layers").isLessThan(10);
        assertThat(spread(tanh)).as("tanh/xavier spread over layers").isLessThan(10);
    }

    @Test
    void diagnosticsMeasureSaturationAndDeadUnitsPerLayer() throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("vanishing.yaml", EXPERIMENT,
                List.of("model.depth=3", "model.init=normal", "model.std=1.0"));
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        Map<String, Double> atStepOne = new TreeMap<>();
        trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                if (step == 1) {
                    atStepOne.put(key, value);
                }
            }
        }, () -> false);
        // Weights of std 1 drive sigmoid units of 128-wide layers hard into saturation.
        assertThat(atStepOne).containsKeys("act_saturation/layer_01", "act_saturation/layer_03", "act_mean/layer_02",
                "act_std/layer_02", "weight_norm/layer_04", "update_ratio/layer_01", "delta_norm/layer_01", "delta_norm/layer_04");
        assertThat(atStepOne.get("act_saturation/layer_02")).isGreaterThan(0.3);
        assertThat(atStepOne.get("update_ratio/layer_01")).isBetween(0.0, 1.0);
        assertThat(atStepOne).doesNotContainKey("act_saturation/layer_04"); // the output layer has no activation
    }
}

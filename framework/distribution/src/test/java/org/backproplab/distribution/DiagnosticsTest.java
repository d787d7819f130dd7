package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.cli.LabModule;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.TrainingListener;
import org.backproplab.spi.Artifact;
import org.junit.jupiter.api.Test;

/**
 * The per-layer diagnostics on models that are not plain MLPs, trained on the real engine: a CNN with batch norm
 * on Fashion-MNIST images and a residual MLP. Dead-unit fractions stay in [0, 1], activations are measured where
 * they are made (inside residual blocks too), and the gradient profile is logged with the layer as the step and as
 * a PNG.
 */
class DiagnosticsTest {

    private static final String CNN = """
            name: diagnostics-cnn
            seed: 3
            dataset:   { type: fashion-mnist, limit: 64, test_limit: 32 }
            model:     { type: cnn, channels: [4, 8], batch_norm: true, dense: [16] }
            loss:      { type: softmax_cross_entropy }
            optimizer: { type: adam }
            training:  { epochs: 1, batch_size: 32, log_every: 1, threads: 1 }
            diagnostics: { enabled: true, every: 1 }
            """;

    private static final String RESIDUAL = """
            name: diagnostics-residual
            seed: 3
            dataset:   { type: linear, inputs: 6, outputs: 1, examples: 64, test_examples: 16 }
            model:     { type: mlp, depth: 4, width: 12, activation: relu, residual: true }
            loss:      { type: mse }
            optimizer: { type: sgd, lr: 0.01 }
            training:  { epochs: 1, batch_size: 32, log_every: 1, threads: 1 }
            diagnostics: { enabled: true, every: 1 }
            """;

    private final Injector injector = LabModule.createInjector();

    /** Every metric as key@step, and the artifacts. */
    private record Logged(Map<String, Double> metrics, List<Artifact> artifacts) {
        double at(String key, long step) {
            Double value = metrics.get(key + "@" + step);
            assertThat(value).as("%s at step %d among %s", key, step, metrics.keySet()).isNotNull();
            return value;
        }

        List<Double> all(String prefix) {
            return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
        }
    }

    private Logged train(String yaml) throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("diagnostics.yaml", yaml, List.of());
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Artifact> artifacts = new ArrayList<>();
        trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                metrics.put(key + "@" + step, value);
            }

            @Override
            public void onArtifact(Artifact artifact) {
                artifacts.add(artifact);
            }
        }, () -> false);
        return new Logged(metrics, artifacts);
    }

    @Test
    void aConvolutionalNetworksDeadUnitsAreFractionsAndItsProfileIsLoggedByLayer() throws Exception {
        Logged logged = train(CNN);
        // Two conv blocks and a dense layer with ReLU, each measured after its activation (not after pooling).
        for (String layer : List.of("layer_01", "layer_02", "layer_03")) {
            assertThat(logged.at("dead_relu/" + layer, 1)).isBetween(0.0, 1.0);
            assertThat(logged.at("act_mean/" + layer, 1)).isGreaterThanOrEqualTo(0.0); // ReLU outputs
        }
        assertThat(logged.all("dead_relu/")).isNotEmpty().allSatisfy(value -> assertThat(value).isBetween(0.0, 1.0));
        assertThat(logged.metrics()).doesNotContainKey("dead_relu/layer_04@1"); // the output layer has no ReLU
        assertProfile(logged, 4);
    }

    @Test
    void aResidualNetworksActivationsAreMeasuredInsideItsBlocks() throws Exception {
        Logged logged = train(RESIDUAL);
        // Layer 1 is plain; layers 2-4 are x + relu(W x + b), their ReLU inside the residual block.
        for (String layer : List.of("layer_01", "layer_02", "layer_03", "layer_04")) {
            assertThat(logged.at("dead_relu/" + layer, 1)).isBetween(0.0, 1.0);
        }
        assertThat(logged.all("dead_relu/")).allSatisfy(value -> assertThat(value).isBetween(0.0, 1.0));
        assertProfile(logged, 5);
    }

    /** grad_profile/init at step = layer is layer's gradient norm at step 1, end the last measured; and a PNG. */
    private static void assertProfile(Logged logged, int layers) {
        long lastStep = 2; // 64 examples in batches of 32, measured at every step
        for (int layer = 1; layer <= layers; layer++) {
            String name = String.format("layer_%02d", layer);
            assertThat(logged.at("grad_profile/init", layer)).isCloseTo(logged.at("grad_norm/" + name, 1), within(0.0));
            assertThat(logged.at("grad_profile/end", layer)).isCloseTo(logged.at("grad_norm/" + name, lastStep), within(0.0));
        }
        assertThat(logged.metrics()).doesNotContainKey("grad_profile/init@" + (layers + 1));
        // Every layer of these models has a bias; its gradient norm is measured with the weight's.
        for (int layer = 1; layer <= layers; layer++) {
            assertThat(logged.at(String.format("grad_norm_bias/layer_%02d", layer), 1)).isPositive();
        }
        Artifact png = logged.artifacts().stream().filter(a -> a.fileName().equals("gradient-profile.png")).findFirst()
                .orElseThrow(() -> new AssertionError("no gradient-profile.png among " + logged.artifacts()));
        assertThat(png.directory()).isEqualTo("diagnostics");
        assertThat(png.content()).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }
}

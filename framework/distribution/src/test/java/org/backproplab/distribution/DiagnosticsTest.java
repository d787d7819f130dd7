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
import org.backproplab.core.training.TrainingOutcome;
import org.backproplab.spi.Artifact;
import org.junit.jupiter.api.Test;

/**
 * The per-layer diagnostics on models that are not plain MLPs, trained on the real engine: a CNN with batch norm
 * on Fashion-MNIST images and a residual MLP. Dead-unit fractions stay in [0, 1], activations are measured where
 * they are made (inside residual blocks too), and the gradient profile is logged with the layer as the step and as
 * a PNG. The deltas' norms are the hand computation's on seed 002's sigmoid network, and measuring leaves the
 * trained parameters bit for bit as they are without the diagnostics.
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

    /** seed-002's 2-2-1 sigmoid network on XOR from its own start, every step measured. */
    private static final String XOR = """
            name: diagnostics-xor
            seed: 42
            dataset:   { type: xor }
            model:
              type: mlp
              hidden: [2]
              activation: sigmoid
              output_activation: sigmoid
              initial:
                layer_01: { weight: [[1.62434536, -0.61175641], [-0.52817175, -1.07296862]], bias: [0.86540763, -2.3015387] }
                layer_02: { weight: [[1.74481176, -0.7612069]], bias: [0.3190391] }
            loss:      { type: mse, reduction: sum }
            optimizer: { type: sgd, lr: 0.1 }
            training:  { epochs: 20, batch_size: 4, shuffle: false, log_every: 5, threads: 1 }
            diagnostics: { enabled: true, every: 1 }
            """;

    /** Every metric as key@step, the artifacts and the parameters the run ended with. */
    private record Logged(Map<String, Double> metrics, List<Artifact> artifacts, Map<String, float[]> parameters) {
        double at(String key, long step) {
            Double value = metrics.get(key + "@" + step);
            assertThat(value).as("%s at step %d among %s", key, step, metrics.keySet()).isNotNull();
            return value;
        }

        List<Double> all(String prefix) {
            return metrics.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
        }
    }

    private Logged train(String yaml, String... overrides) throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("diagnostics.yaml", yaml, List.of(overrides));
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Artifact> artifacts = new ArrayList<>();
        TrainingOutcome outcome = trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                metrics.put(key + "@" + step, value);
            }

            @Override
            public void onArtifact(Artifact artifact) {
                artifacts.add(artifact);
            }
        }, () -> false);
        return new Logged(metrics, artifacts, outcome.parameters());
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

    @Test
    void theDeltaNormsOfASigmoidNetworkAreTheHandComputedOnes() throws Exception {
        Logged logged = train(XOR, "training.epochs=1");
        // The four points in one batch, L = ½Σ(y − t)²: δ²ₙ = (yₙ − tₙ)·yₙ(1 − yₙ), δ¹ₙⱼ = W²ⱼ δ²ₙ · aₙⱼ(1 − aₙⱼ).
        double[][] w1 = {{1.62434536, -0.61175641}, {-0.52817175, -1.07296862}};
        double[] b1 = {0.86540763, -2.3015387};
        double[] w2 = {1.74481176, -0.7612069};
        double b2 = 0.3190391;
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        double[] t = {0, 1, 1, 0};
        double squares2 = 0;
        double squares1 = 0;
        for (int n = 0; n < 4; n++) {
            double[] a = new double[2];
            double z2 = b2;
            for (int j = 0; j < 2; j++) {
                a[j] = 1 / (1 + Math.exp(-(w1[j][0] * x[n][0] + w1[j][1] * x[n][1] + b1[j])));
                z2 += w2[j] * a[j];
            }
            double y = 1 / (1 + Math.exp(-z2));
            double delta2 = (y - t[n]) * y * (1 - y);
            squares2 += delta2 * delta2;
            for (int j = 0; j < 2; j++) {
                double delta1 = w2[j] * delta2 * a[j] * (1 - a[j]);
                squares1 += delta1 * delta1;
            }
        }
        assertThat(logged.at("delta_norm/layer_02", 1)).isCloseTo(Math.sqrt(squares2), within(1e-7));
        assertThat(logged.at("delta_norm/layer_01", 1)).isCloseTo(Math.sqrt(squares1), within(1e-7));
        assertThat(Math.sqrt(squares2)).isCloseTo(0.1657527, within(1e-7));
        assertThat(Math.sqrt(squares1)).isCloseTo(0.0525357, within(1e-7));
    }

    @Test
    void aNetworkWithDropoutTrainsWithoutDeltaNorms() throws Exception {
        // Dropout's mask of the step cannot be drawn again: no delta_norm, everything else as usual.
        Logged logged = train(CNN, "model.dropout=0.5");
        assertThat(logged.all("delta_norm/")).isEmpty();
        assertThat(logged.at("grad_norm/layer_01", 1)).isPositive();
        assertThat(logged.at("dead_relu/layer_01", 1)).isBetween(0.0, 1.0);
    }

    @Test
    void measuringEveryStepLeavesTheTrainedParametersBitIdentical() throws Exception {
        // The diagnostics' extra forward and backward passes (activations, deltas) must not touch what the optimizer
        // uses: gradients, batch norm's running statistics, the engine's random numbers. Every step is measured.
        for (String yaml : List.of(XOR, RESIDUAL, CNN)) {
            Logged measured = train(yaml, "training.epochs=3");
            Logged plain = train(yaml, "training.epochs=3", "diagnostics.enabled=false");
            assertThat(measured.all("delta_norm/")).as("measured deltas").isNotEmpty();
            assertThat(plain.all("delta_norm/")).isEmpty();
            assertThat(measured.parameters()).as(yaml).isNotEmpty().containsOnlyKeys(plain.parameters().keySet());
            plain.parameters().forEach((name, values) -> assertThat(measured.parameters().get(name)).as(name)
                    .containsExactly(values));
        }
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
        // Every layer of these models has a bias; its gradient norm is measured with the weight's, and its delta's.
        for (int layer = 1; layer <= layers; layer++) {
            String name = String.format("layer_%02d", layer);
            assertThat(logged.at("grad_norm_bias/" + name, 1)).isPositive();
            assertThat(logged.at("delta_norm/" + name, 1)).isPositive();
            assertThat(logged.at("delta_norm/" + name, lastStep)).isPositive();
        }
        assertThat(logged.all("delta_norm/")).hasSize(2 * layers);
        Artifact png = logged.artifacts().stream().filter(a -> a.fileName().equals("gradient-profile.png")).findFirst()
                .orElseThrow(() -> new AssertionError("no gradient-profile.png among " + logged.artifacts()));
        assertThat(png.directory()).isEqualTo("diagnostics");
        assertThat(png.content()).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }
}

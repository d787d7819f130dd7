package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.backproplab.core.cli.LabModule;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.PhaseClock;
import org.backproplab.core.training.TrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The step in one TorchScript call (forward, loss and backward of an mlp with softmax cross-entropy or squared error)
 * trains exactly as DJL's forward and autograd do: every step's loss, every layer's gradient, weight and update norms and every
 * evaluation bit-identical, for each activation it is written for and with skip connections, with SGD (which leaves gradients to add to) and
 * Adam, over shuffled epochs and a short last batch.
 */
class ScriptedStepTest {

    private static final String EXPERIMENT = """
            name: scripted
            seed: 5
            dataset:   { type: fashion-mnist, limit: 700, test_limit: 300 }
            model:     { type: mlp, %s }
            loss:      { type: softmax_cross_entropy }
            optimizer: { %s }
            training:  { epochs: 2, batch_size: 64, log_every: 1, threads: 1 }
            """;

    /** XOR in batches of three and one (1/3 is not exact), without a test split: squared error through the script. */
    private static final String XOR = """
            name: scripted-xor
            seed: 5
            dataset:   { type: xor }
            model:     { type: mlp, hidden: [3], activation: sigmoid, init: xavier, output_activation: sigmoid }
            loss:      { type: mse, %s }
            optimizer: { %s }
            training:  { epochs: 30, batch_size: 3, log_every: 1, threads: 1 }
            """;

    private final Injector injector = LabModule.createInjector();

    /** What one training logs, and how many of its steps ran the loss as a phase of its own (DJL's). */
    private record Training(List<String> metrics, int eagerSteps) {}

    /** Trains the Fashion-MNIST experiment; {@code model} gives the hidden widths or has two layers of 24 and 16. */
    private Training train(String model, String optimizer, boolean scripted) throws Exception {
        String shaped = model.contains("hidden:") ? model : "hidden: [24, 16], " + model;
        return trainFile(EXPERIMENT.formatted(shaped, optimizer), scripted);
    }

    private Training trainFile(String file, boolean scripted) throws Exception {
        String previous = System.setProperty("lab.scripted.step", scripted ? "on" : "off");
        try {
            Experiment experiment = injector.getInstance(ExperimentLoader.class).load("scripted.yaml", file, List.of());
            ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
            List<String> metrics = new ArrayList<>();
            AtomicInteger eagerSteps = new AtomicInteger();
            PhaseClock clock = phase -> {
                if (phase == PhaseClock.Phase.LOSS) {
                    eagerSteps.incrementAndGet();
                }
            };
            trainer.train(trainer.prepare(experiment), new TrainingListener() {
                @Override
                public void onMetric(String key, double value, long step) {
                    if (!key.startsWith("time/") && !key.startsWith("memory/")) {
                        metrics.add(key + "@" + step + "=" + value);
                    }
                }
            }, List.of(), () -> false, clock, false);
            return new Training(metrics, eagerSteps.get());
        } finally {
            if (previous == null) {
                System.clearProperty("lab.scripted.step");
            } else {
                System.setProperty("lab.scripted.step", previous);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"activation: relu", "activation: sigmoid, init: xavier", "activation: tanh, init: xavier",
        "activation: leaky_relu, leaky_relu_slope: 0.2", "activation: identity", "activation: relu, output_activation: sigmoid",
        "activation: elu, elu_alpha: 0.7", "activation: selu", "activation: gelu",
        "hidden: [16, 16, 16, 16], activation: sigmoid, init: xavier, residual: true",
        "hidden: [16, 16, 16], activation: leaky_relu, residual: true",
        "activation: sigmoid, init: xavier, batch_norm: true",
        "hidden: [16, 16, 16], activation: elu, batch_norm: true, residual: true",
        "activation: relu, dropout: 0.3", "hidden: [16, 16, 16], activation: tanh, dropout: 0.2, residual: true"})
    void scriptedStepsTrainBitIdentically(String model) throws Exception {
        for (String optimizer : List.of("type: sgd, lr: 0.02", "type: adam, lr: 0.003")) {
            Training scripted = train(model, optimizer, true);
            Training eager = train(model, optimizer, false);
            assertThat(scripted.metrics()).as(model + ", " + optimizer).containsExactlyElementsOf(eager.metrics());
            // 11 steps per epoch (the last of 60 examples): DJL's own first step, then the script.
            assertThat(scripted.eagerSteps()).as("steps whose loss DJL computed").isEqualTo(1);
            assertThat(eager.eagerSteps()).isEqualTo(22);
            assertThat(scripted.metrics().stream().filter(m -> m.startsWith("train/loss@"))).hasSize(22)
                    .doesNotHaveDuplicates();
            assertThat(scripted.metrics()).anyMatch(m -> m.startsWith("grad_norm/layer_03@22="))
                    .anyMatch(m -> m.startsWith("eval/accuracy@22="));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"half: true, reduction: mean", "half: false, reduction: sum"})
    void squaredErrorThroughTheScriptTrainsBitIdentically(String loss) throws Exception {
        for (String optimizer : List.of("type: sgd, lr: 0.5", "type: adam, lr: 0.05")) {
            Training scripted = trainFile(XOR.formatted(loss, optimizer), true);
            Training eager = trainFile(XOR.formatted(loss, optimizer), false);
            assertThat(scripted.metrics()).as(loss + ", " + optimizer).containsExactlyElementsOf(eager.metrics());
            assertThat(scripted.eagerSteps()).as("steps whose loss DJL computed").isEqualTo(1);
            assertThat(eager.eagerSteps()).isEqualTo(60);
            assertThat(scripted.metrics().stream().filter(m -> m.startsWith("train/loss@"))).hasSize(60)
                    .doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"activation: softsign"})
    void modelsNotWrittenAsTorchScriptTrainEagerly(String model) throws Exception {
        Training training = train(model, "type: adam, lr: 0.003", true);
        assertThat(training.eagerSteps()).isEqualTo(22);
        assertThat(training.metrics()).anyMatch(m -> m.startsWith("eval/accuracy@22="));
    }
}

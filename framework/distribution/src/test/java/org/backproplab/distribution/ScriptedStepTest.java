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
import org.backproplab.spi.Callback;
import org.backproplab.spi.Step;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /**
     * What one training logs, how many of its steps ran the loss as a phase of its own (DJL's), and how many updated
     * the weights in a call of their own.
     */
    private record Training(List<String> metrics, int eagerSteps, int separateUpdates) {}

    /** Trains the Fashion-MNIST experiment; {@code model} gives the hidden widths or has two layers of 24 and 16. */
    private Training train(String model, String optimizer, boolean scripted) throws Exception {
        String shaped = model.contains("hidden:") ? model : "hidden: [24, 16], " + model;
        return trainFile(EXPERIMENT.formatted(shaped, optimizer), scripted);
    }

    private Training trainFile(String file, boolean scripted, Callback... callbacks) throws Exception {
        String previous = System.setProperty("lab.scripted.step", scripted ? "on" : "off");
        try {
            Experiment experiment = injector.getInstance(ExperimentLoader.class).load("scripted.yaml", file, List.of());
            ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
            List<String> metrics = new ArrayList<>();
            AtomicInteger eagerSteps = new AtomicInteger();
            AtomicInteger separateUpdates = new AtomicInteger();
            PhaseClock clock = phase -> {
                if (phase == PhaseClock.Phase.LOSS) {
                    eagerSteps.incrementAndGet();
                } else if (phase == PhaseClock.Phase.OPTIMIZER) {
                    separateUpdates.incrementAndGet();
                }
            };
            trainer.train(trainer.prepare(experiment), new TrainingListener() {
                @Override
                public void onMetric(String key, double value, long step) {
                    if (!key.startsWith("time/") && !key.startsWith("memory/")) {
                        metrics.add(key + "@" + step + "=" + value);
                    }
                }
            }, List.of(callbacks), () -> false, clock, false);
            return new Training(metrics, eagerSteps.get(), separateUpdates.get());
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

    /**
     * Steps that are not logged (log_every 5) run Adam's update in the step's own call: the weights are the same bit
     * for bit, as every later loss, gradient norm and evaluation shows. A callback that reads the gradients keeps the
     * update apart at the steps it reads them.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"hidden: [24, 16], activation: relu | type: adam, lr: 0.003",
        "hidden: [24, 16], activation: relu | type: adamw, lr: 0.003, weight_decay: 0.1",
        "hidden: [24, 16], activation: relu | type: adam, lr: 0.003, schedule: { type: cosine, warmup_steps: 3 }",
        // Batch norm's gradients are added, not written over: the update zeroes those alone.
        "hidden: [24, 16], activation: relu, batch_norm: true | type: adam, lr: 0.003"})
    void updatesInTheStepsCallTrainBitIdentically(String model, String optimizer) throws Exception {
        String file = EXPERIMENT.formatted(model, optimizer)
                .replace("log_every: 1", "log_every: 5");
        Training scripted = trainFile(file, true);
        Training eager = trainFile(file, false);
        assertThat(scripted.metrics()).as(optimizer).containsExactlyElementsOf(eager.metrics());
        assertThat(eager.separateUpdates()).isEqualTo(22);
        // Step 1 (DJL's own) and the logged: 5, 10, 15, 20, and the last of each epoch of 11 steps.
        assertThat(scripted.separateUpdates()).as("steps that updated in a call of their own").isEqualTo(7);
        assertThat(scripted.metrics()).anyMatch(m -> m.startsWith("eval/accuracy@20="));

        // A callback reading steps 1-3 before their update keeps those apart; one that does not say reads every step.
        Training reading = trainFile(file, true, new ReadsBefore(step -> step <= 3));
        assertThat(reading.metrics()).containsExactlyElementsOf(eager.metrics());
        assertThat(reading.separateUpdates()).isEqualTo(9);
        Callback unsaid = new Callback() {
            @Override
            public void beforeUpdate(org.backproplab.spi.Training training, Step step) {}
        };
        assertThat(trainFile(file, true, unsaid).separateUpdates()).isEqualTo(22);
    }

    /** Says it reads before the update at the steps {@code reads} accepts. */
    private record ReadsBefore(java.util.function.LongPredicate reads) implements Callback {
        @Override
        public void beforeUpdate(org.backproplab.spi.Training training, Step step) {}

        @Override
        public boolean readsBeforeUpdate(org.backproplab.spi.Training training) {
            return reads.test(training.step());
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

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.backproplab.core.cli.LabModule;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.TrainingListener;
import org.backproplab.core.training.TrainingOutcome;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Step;
import org.backproplab.spi.Training;
import org.junit.jupiter.api.Test;

/**
 * The training loop on the real engine, seen through the SPI callbacks it calls: the order and number of
 * hooks, a callback stopping training, and gradient clipping applied between backward and the update for
 * any optimizer (plain SGD with lr 1 makes the update equal to minus the clipped gradient).
 */
class TrainingLoopTest {

    private static final String EXPERIMENT = """
            name: loop
            seed: 5
            dataset:   { type: linear, inputs: 3, outputs: 2, examples: 40, test_examples: 8, noise: 0.0 }
            model:     { type: linear }
            loss:      { type: mse }
            optimizer: { type: sgd, lr: 1.0 }
            training:  { epochs: 3, batch_size: 10, log_every: 2, threads: 1 }
            diagnostics: { enabled: false }
            """;

    private final Injector injector = LabModule.createInjector();

    /** Records every hook, and each step's gradient (before the update) and weight change. */
    private static final class Recorder implements Callback {
        final List<String> hooks = new ArrayList<>();
        final List<float[]> gradients = new ArrayList<>();
        final List<float[]> changes = new ArrayList<>();
        private float[] before;
        long stopAtStep = -1;

        @Override
        public void onTrainStart(Training training) {
            hooks.add("start " + training.layers().size() + " layer(s) " + training.totalSteps() + " steps");
        }

        @Override
        public void beforeUpdate(Training training, Step step) {
            hooks.add("before " + step.number());
            Layer layer = training.layers().get(0);
            NDArray gradient = layer.weight().getArray().getGradient();
            gradient.attach(step.manager());
            gradients.add(gradient.toFloatArray());
            before = layer.weight().getArray().toFloatArray();
        }

        @Override
        public void afterUpdate(Training training, Step step) {
            hooks.add("after " + step.number());
            float[] after = training.layers().get(0).weight().getArray().toFloatArray();
            float[] change = new float[after.length];
            for (int i = 0; i < after.length; i++) {
                change[i] = after[i] - before[i];
            }
            changes.add(change);
        }

        @Override
        public void onEvaluation(Training training, Map<String, Double> metrics) {
            hooks.add("evaluation " + training.step() + " " + metrics.keySet());
            if (training.step() == stopAtStep) {
                training.requestStop("asked by the test");
            }
        }

        @Override
        public void onEpochEnd(Training training, double seconds) {
            hooks.add("epoch " + training.epoch());
        }

        @Override
        public void onTrainEnd(Training training, String outcome) {
            hooks.add("end " + outcome.substring(0, outcome.indexOf(' ', outcome.indexOf(' ') + 1)));
        }
    }

    private TrainingOutcome train(Recorder recorder, List<String> metrics, String... overrides) throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("loop.yaml", EXPERIMENT, List.of(overrides));
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        return trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                metrics.add(key + "@" + step + "=" + value);
            }
        }, List.of(recorder), () -> false);
    }

    @Test
    void hooksComeInTheirOrderOncePerStepEvaluationEpochAndRun() throws Exception {
        Recorder recorder = new Recorder();
        train(recorder, new ArrayList<>(), "training.epochs=1");
        assertThat(recorder.hooks).containsExactly(
                "start 1 layer(s) 4 steps",
                "before 1", "after 1",
                "before 2", "after 2", "evaluation 2 [eval/loss]",
                "before 3", "after 3",
                "before 4", "after 4", "evaluation 4 [eval/loss]",
                "epoch 1",
                "end 4 steps,");
    }

    @Test
    void aCallbackStopsTrainingAfterTheStepItAskedAt() throws Exception {
        Recorder recorder = new Recorder();
        recorder.stopAtStep = 4;
        TrainingOutcome outcome = train(recorder, new ArrayList<>());
        assertThat(outcome.ending()).isEqualTo(TrainingOutcome.Ending.COMPLETED);
        assertThat(outcome.steps()).isEqualTo(4);
        assertThat(outcome.message()).startsWith("stopped early at step 4 (epoch 1): asked by the test; 4 steps");
        assertThat(recorder.hooks).endsWith("evaluation 4 [eval/loss]", "end stopped early");
    }

    @Test
    void theLearningRateIsLoggedAtEveryLoggedStep() throws Exception {
        List<String> metrics = new ArrayList<>();
        train(new Recorder(), metrics, "optimizer.lr=0.25");
        assertThat(metrics.stream().filter(m -> m.startsWith("train/lr@"))).containsExactly(
                "train/lr@2=0.25", "train/lr@4=0.25", "train/lr@6=0.25", "train/lr@8=0.25", "train/lr@10=0.25",
                "train/lr@12=0.25");
    }

    @Test
    void aScheduleAfterItsWarmUpSetsTheRateOfEveryStep() throws Exception {
        List<String> metrics = new ArrayList<>();
        train(new Recorder(), metrics, "optimizer.lr=0.5", "training.log_every=1",
                "optimizer.schedule={type: cosine, min_factor: 0.2, warmup_steps: 2}");
        List<Double> rates = metrics.stream().filter(m -> m.startsWith("train/lr@"))
                .map(m -> Double.parseDouble(m.substring(m.indexOf('=') + 1))).toList();
        assertThat(rates).hasSize(12);
        // Warm-up over steps 1-2, then cosine over the 10 steps left: 0.2 + 0.8 (1 + cos(pi t / 10)) / 2.
        assertThat(rates.get(0)).isCloseTo(0.25, within(1e-7));
        assertThat(rates.get(1)).isCloseTo(0.5, within(1e-7));
        for (int t = 0; t < 10; t++) {
            double factor = 0.2 + 0.8 * (1 + Math.cos(Math.PI * t / 10)) / 2;
            assertThat(rates.get(2 + t)).as("step %d", 3 + t).isCloseTo((float) (0.5 * factor), within(1e-7));
        }
    }

    @Test
    void aMetricsArtifactsReachTheListenerAfterTheLastEvaluation() throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("loop.yaml", EXPERIMENT, List.of(
                "dataset={type: xor}", "model={type: mlp, hidden: [4], activation: tanh}", "loss={type: binary_cross_entropy}",
                "optimizer.lr=0.5", "training.epochs=20", "training.batch_size=4",
                "metrics=[accuracy, confusion_matrix]"));
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        List<String> artifacts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                keys.add(key);
            }

            @Override
            public void onArtifact(org.backproplab.spi.Artifact artifact) {
                artifacts.add(artifact.directory() + "/" + artifact.fileName() + " " + artifact.content().length);
            }
        }, List.of(), () -> false);
        assertThat(keys).contains("eval/accuracy");
        assertThat(artifacts).filteredOn(a -> a.startsWith("metrics/")).hasSize(2)
                .anyMatch(a -> a.startsWith("metrics/confusion_matrix.csv "))
                .anyMatch(a -> a.startsWith("metrics/confusion_matrix.png "));
    }

    @Test
    void clippingByValueClampsEveryElementNegativeOnesToo() throws Exception {
        Recorder unclipped = new Recorder();
        train(unclipped, new ArrayList<>());
        Recorder clipped = new Recorder();
        train(clipped, new ArrayList<>(), "training.clip_grad_value=0.05");

        float[] gradient = clipped.gradients.get(0);
        assertThat(gradient).as("the same gradient as without clipping: callbacks see it before clipping")
                .containsExactly(unclipped.gradients.get(0));
        boolean sawNegative = false;
        for (int i = 0; i < gradient.length; i++) {
            float expected = Math.max(-0.05f, Math.min(0.05f, gradient[i]));
            assertThat(clipped.changes.get(0)[i]).as("element %d: -lr * clip(%s)", i, gradient[i])
                    .isCloseTo(-expected, within(1e-6f));
            sawNegative |= gradient[i] < -0.05f;
        }
        assertThat(sawNegative).as("the test needs a gradient below -c").isTrue();
    }

    @Test
    void clippingByNormScalesAllGradientsToTheLimitAndLogsTheNormBefore() throws Exception {
        List<String> metrics = new ArrayList<>();
        Recorder clipped = new Recorder();
        train(clipped, metrics, "training.clip_grad_norm=0.1", "model.bias=false");

        float[] gradient = clipped.gradients.get(0);
        double norm = 0;
        for (float value : gradient) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        assertThat(norm).as("the test needs a gradient above the limit").isGreaterThan(0.2);
        for (int i = 0; i < gradient.length; i++) {
            assertThat((double) clipped.changes.get(0)[i]).isCloseTo(-gradient[i] * 0.1 / norm, within(1e-6));
        }
        String logged = metrics.stream().filter(m -> m.startsWith("grad_norm/global@1=")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(logged.substring(logged.indexOf('=') + 1))).isCloseTo(norm, within(1e-5 * norm));
    }
}

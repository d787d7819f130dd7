package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.TestComponents.Activation;
import org.backproplab.core.plugin.ComponentKind;
import org.backproplab.spi.NoParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLoaderTest {

    static final String XOR = """
            name: xor
            seed: 7
            description: a tiny test
            dataset:   { type: points, count: 4 }
            model:     { type: net, hidden: [2], activation: sigmoid }
            loss:      { type: squared }
            optimizer: { type: sgd, lr: 0.5 }
            training:  { epochs: 5000, batch_size: 4, log_every: 50 }
            tracking:  { experiment: xor-runs }
            """;

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.catalog());

    @Test
    void bindsEveryBlockToItsFactorysRecordWithDefaultsFilledIn() throws ConfigException {
        Experiment experiment = loader.load("experiments/xor.yaml", XOR, List.of());

        assertThat(experiment.name()).isEqualTo("xor");
        assertThat(experiment.seed()).isEqualTo(7L);
        assertThat(experiment.description()).isEqualTo("a tiny test");
        assertThat(experiment.source()).isEqualTo(Path.of("experiments/xor.yaml"));

        assertThat(experiment.dataset().kind()).isEqualTo(ComponentKind.DATASET);
        assertThat(experiment.dataset().type()).isEqualTo("points");
        assertThat(experiment.dataset().factory().name()).isEqualTo("points");
        assertThat(experiment.dataset().parameters()).isEqualTo(new TestComponents.Points(4, 0.1));
        assertThat(experiment.model().parameters())
                .isEqualTo(new TestComponents.Net(List.of(2), Activation.SIGMOID, true, 0.0));
        assertThat(experiment.loss().kind()).isEqualTo(ComponentKind.LOSS);
        assertThat(experiment.loss().parameters()).isEqualTo(new NoParameters());
        assertThat(experiment.optimizer().kind()).isEqualTo(ComponentKind.OPTIMIZER);
        assertThat(experiment.optimizer().parameters()).isEqualTo(new TestComponents.Sgd(0.5, 0.0, 0.0, null));

        assertThat(experiment.training()).isEqualTo(new TrainingSettings(5000, 4, 50, true, "auto", null));
        // Absent names default to the experiment's name.
        assertThat(experiment.tracking()).isEqualTo(new TrackingSettings("xor-runs", null, "xor"));
        assertThat(experiment.sweep()).isNull();
        assertThat(experiment.objective()).isNull();
    }

    @Test
    void resolvedIsTheWholeDocumentInFileOrderWithPlainValues() throws ConfigException {
        Map<String, Object> resolved = loader.load("xor.yaml", XOR, List.of()).resolved();

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "xor");
        expected.put("seed", 7L);
        expected.put("description", "a tiny test");
        expected.put("dataset", ordered("type", "points", "count", 4L, "noise", 0.1));
        expected.put("model", ordered("type", "net", "hidden", List.of(2L), "activation", "sigmoid", "bias", true,
                "dropout", 0.0));
        expected.put("loss", ordered("type", "squared"));
        expected.put("optimizer", ordered("type", "sgd", "lr", 0.5, "momentum", 0.0, "weight_decay", 0.0,
                "clip_grad", null));
        expected.put("training", ordered("epochs", 5000L, "batch_size", 4L, "log_every", 50L, "shuffle", true,
                "device", "auto", "threads", null, "early_stopping", null,
                        "clip_grad_norm", null, "clip_grad_value", null));
        expected.put("tracking", ordered("experiment", "xor-runs", "uri", null, "run_name", "xor"));
        expected.put("diagnostics", ordered("enabled", true, "every", 0L, "saturation_threshold", 0.02));

        assertThat(resolved).isEqualTo(expected);
        assertThat(resolved.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(List.<Object>copyOf(((Map<?, ?>) resolved.get("optimizer")).keySet()))
                .containsExactly("type", "lr", "momentum", "weight_decay", "clip_grad");
    }

    @Test
    void flattenedParametersAreSortedDottedPathsWithoutAbsentOptionalsOrDescription() throws ConfigException {
        Map<String, String> parameters = loader.load("xor.yaml", XOR, List.of()).flattenedParameters();

        assertThat(parameters).containsExactly(
                entry("dataset.count", "4"),
                entry("dataset.noise", "0.1"),
                entry("dataset.type", "points"),
                entry("diagnostics.enabled", "true"),
                entry("diagnostics.every", "0"),
                entry("diagnostics.saturation_threshold", "0.02"),
                entry("loss.type", "squared"),
                entry("model.activation", "sigmoid"),
                entry("model.bias", "true"),
                entry("model.dropout", "0.0"),
                entry("model.hidden", "[2]"),
                entry("model.type", "net"),
                entry("name", "xor"),
                entry("optimizer.lr", "0.5"),
                entry("optimizer.momentum", "0.0"),
                entry("optimizer.type", "sgd"),
                entry("optimizer.weight_decay", "0.0"),
                entry("seed", "7"),
                entry("tracking.experiment", "xor-runs"),
                entry("tracking.run_name", "xor"),
                entry("training.batch_size", "4"),
                entry("training.device", "auto"),
                entry("training.epochs", "5000"),
                entry("training.log_every", "50"),
                entry("training.shuffle", "true"));
    }

    @Test
    void resolvedYamlIsBlockStyleAndLoadsBackToTheSameDocument() throws ConfigException {
        Experiment experiment = loader.load("xor.yaml", XOR + "sweep: {lr: [0.1, 0.5]}\nobjective: {metric: loss}\n",
                List.of("optimizer.clip_grad=1e-3", "dataset.noise='2.5e-1'", "model.activation=LEAKY_RELU"));

        String yaml = experiment.resolvedYaml();
        assertThat(yaml).contains("optimizer:\n  type: sgd\n  lr: 0.5\n").contains("  clip_grad: 0.001\n")
                .doesNotContain("{");
        Experiment reloaded = loader.load("resolved.yaml", yaml, List.of());

        assertThat(reloaded.resolved()).isEqualTo(experiment.resolved());
        assertThat(reloaded.optimizer().parameters()).isEqualTo(experiment.optimizer().parameters());
        assertThat(reloaded.model().parameters()).isEqualTo(experiment.model().parameters());
    }

    @Test
    void sectionsThatAreLeftOutGetEveryDefault() throws ConfigException {
        Experiment experiment = loader.load("minimal.yaml", """
                name: minimal
                dataset: {type: points}
                model: {type: linear}
                loss: {type: smoothed}
                optimizer: {type: adam}
                """, List.of());

        assertThat(experiment.seed()).isEqualTo(42L);
        assertThat(experiment.description()).isNull();
        assertThat(experiment.training()).isEqualTo(new TrainingSettings(1, 32, 50, true, "auto", null));
        assertThat(experiment.tracking()).isEqualTo(new TrackingSettings("minimal", null, "minimal"));
        assertThat(experiment.diagnostics()).isEqualTo(new DiagnosticsSettings(true, 0, 0.02));
        assertThat(experiment.loss().parameters()).isEqualTo(new TestComponents.Smoothed(0.0f));
        assertThat(experiment.optimizer().parameters()).isEqualTo(new TestComponents.Adam(0.001, 1e-8, 0L));
        assertThat(experiment.resolved()).containsEntry("description", null)
                .containsEntry("optimizer", ordered("type", "adam", "lr", 0.001, "epsilon", 1e-8, "warmup_steps", 0L));
    }

    @Test
    void numbersAcceptEveryYamlSpellingAndQuotedJavaSpellings() throws ConfigException {
        Experiment experiment = loader.load("numbers.yaml", """
                name: numbers
                seed: 0x10
                dataset: {type: points, count: +3, noise: 1e-3}
                model: {type: linear}
                loss: {type: smoothed, smoothing: .25}
                optimizer: {type: sgd, lr: "2E-2", momentum: 0, clip_grad: .inf}
                """, List.of());

        assertThat(experiment.seed()).isEqualTo(16L);
        assertThat(experiment.dataset().parameters()).isEqualTo(new TestComponents.Points(3, 0.001));
        assertThat(experiment.loss().parameters()).isEqualTo(new TestComponents.Smoothed(0.25f));
        assertThat(experiment.optimizer().parameters())
                .isEqualTo(new TestComponents.Sgd(0.02, 0.0, 0.0, Double.POSITIVE_INFINITY));
        assertThat(experiment.resolved().get("loss")).isEqualTo(ordered("type", "smoothed", "smoothing", 0.25));
    }

    @Test
    void enumsMatchIgnoringCaseAndResolveToLowerCase() throws ConfigException {
        Experiment experiment = loader.load("enum.yaml", XOR.replace("activation: sigmoid", "activation: Leaky_ReLU"),
                List.of());

        TestComponents.Net model = (TestComponents.Net) experiment.model().parameters();
        assertThat(model.activation()).isEqualTo(Activation.LEAKY_RELU);
        assertThat(experiment.flattenedParameters()).containsEntry("model.activation", "leaky_relu");
    }

    @Test
    void sweepAndObjectiveAreKeptAsWritten() throws ConfigException {
        Experiment experiment = loader.load("sweep.yaml", XOR + """
                sweep:
                  optimizer.lr: [0.1, 0.5]
                  method: grid
                objective: {metric: test_loss, goal: minimize}
                """, List.of());

        assertThat(experiment.sweep())
                .containsExactly(entry("optimizer.lr", List.of(0.1, 0.5)), entry("method", "grid"));
        assertThat(experiment.objective()).containsExactly(entry("metric", "test_loss"), entry("goal", "minimize"));
        assertThat(experiment.resolved()).containsEntry("sweep", experiment.sweep())
                .containsEntry("objective", experiment.objective());
        assertThat(experiment.flattenedParameters()).doesNotContainKeys("sweep.method", "objective.metric");
    }

    @Test
    void loadsAFileAndNamesItAsGiven(@TempDir Path directory) throws IOException, ConfigException {
        Path file = Files.writeString(directory.resolve("xor.yaml"), XOR);

        Experiment experiment = loader.load(file, List.of("training.epochs=3"));

        assertThat(experiment.source()).isEqualTo(file);
        assertThat(experiment.training().epochs()).isEqualTo(3);
    }

    @Test
    void loadsTheProjectsExampleShapes() throws ConfigException {
        // The shape of experiments/linear-regression.yaml: block mappings, comments, folded text.
        Experiment experiment = loader.load("linear.yaml", """
                # a comment
                name: linear-regression
                description: >-
                  folded
                  text
                seed: 7
                dataset:
                  type: points
                  count: 1000
                model:     { type: linear }
                loss:      { type: squared }
                optimizer: { type: sgd, lr: 0.1 }
                training:  { epochs: 20, batch_size: 10, log_every: 50, threads: 1, device: "gpu:1" }
                """, List.of());

        assertThat(experiment.description()).isEqualTo("folded text");
        assertThat(experiment.training()).isEqualTo(new TrainingSettings(20, 10, 50, true, "gpu:1", 1));
    }

    /** An insertion-ordered map from alternating keys and values; values may be null. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        assertThat(keysAndValues.length % 2).as("keys and values of %s", Arrays.toString(keysAndValues)).isZero();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}

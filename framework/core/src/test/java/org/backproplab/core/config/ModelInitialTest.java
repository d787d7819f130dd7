package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** model.initial: read for any model, kept out of the model's parameters, with positions for later checks. */
class ModelInitialTest {

    private static final String FILE = """
            name: given
            dataset: {type: points}
            model:
              type: net
              hidden: [2]
              initial:
                layer_01: {weight: [[0.15, 0.20], [0.25, 0.30]], bias: [0.35, 0.35]}
                layer_02: {weight: [[0.40, 0.45]]}
            loss: {type: squared}
            optimizer: {type: sgd}
            """;

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.catalog());

    @Test
    void givenValuesAreReadWithTheirShapesAndPositions() throws ConfigException {
        Experiment experiment = loader.load("given.yaml", FILE, List.of());
        ModelInitial.Layer first = experiment.modelInitial().layers().get("layer_01");
        assertThat(first.weight().orElseThrow().shape()).containsExactly(2L, 2L);
        assertThat(first.weight().orElseThrow().values()).containsExactly(0.15, 0.20, 0.25, 0.30);
        assertThat(first.weight().orElseThrow().position().toString()).isEqualTo("given.yaml:7:24");
        assertThat(first.bias().orElseThrow().path()).isEqualTo("model.initial.layer_01.bias");
        assertThat(experiment.modelInitial().layers().get("layer_02").bias()).isEmpty();
        // Not a parameter of the model's factory, but part of what ran: the resolved file and the run's parameters.
        assertThat(experiment.model().parameters()).isInstanceOf(TestComponents.Net.class);
        assertThat(experiment.flattenedParameters()).containsEntry("model.initial.layer_01.weight", "[[0.15, 0.2], [0.25, 0.3]]");
        Experiment again = loader.load("again.yaml", experiment.resolvedYaml(), List.of());
        assertThat(again.resolved()).isEqualTo(experiment.resolved());
    }

    @Test
    void setOverridesOneValueAndSweepsCanReplaceIt() throws ConfigException {
        Experiment experiment = loader.load("given.yaml", FILE, List.of("model.initial.layer_01.bias=[0.1,0.2]",
                "model.initial.layer_02.bias=[0.5]"));
        assertThat(experiment.modelInitial().layers().get("layer_01").bias().orElseThrow().values()).containsExactly(0.1, 0.2);
        assertThat(experiment.modelInitial().layers().get("layer_01").bias().orElseThrow().position().file())
                .isEqualTo("--set model.initial.layer_01.bias=[0.1,0.2]");
        assertThat(experiment.modelInitial().layers().get("layer_02").bias().orElseThrow().values()).containsExactly(0.5);
        Experiment none = loader.load("given.yaml", FILE, List.of("model.initial=null"));
        assertThat(none.modelInitial().isEmpty()).isTrue();
        assertThat(((Map<?, ?>) none.resolved().get("model")).containsKey("initial")).isFalse();
    }

    @Test
    void everyProblemOfTheBlockIsReportedWithItsPosition() {
        String bad = FILE.replace("layer_02: {weight: [[0.40, 0.45]]}",
                "layer_2: {weight: [[1]]}\n    layer_03: {wieght: [[1]], bias: [[1, 2], [3]]}\n    layer_04: {bias: [1, x]}");
        assertThatThrownBy(() -> loader.load("bad.yaml", bad, List.of()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::toString).containsExactly(
                        "bad.yaml:8:5: model.initial.layer_2: a layer is named layer_01, layer_02, ... from the input"
                                + " (the names of grad_norm/layer_NN), got 'layer_2'",
                        "bad.yaml:9:16: model.initial.layer_03.wieght: unknown key; did you mean 'weight'? (known: weight, bias)",
                        "bad.yaml:9:46: model.initial.layer_03.bias[1]: ragged: has 1 values where the first row has 2",
                        "bad.yaml:10:26: model.initial.layer_04.bias[1]: must be a finite number, got 'x'"));
    }
}

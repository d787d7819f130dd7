package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VaryingParamsTest {

    private final TrialData deepSigmoid = trial("b", Map.of("model.depth", "10", "model.activation", "sigmoid",
            "model.init", "xavier", "optimizer.lr", "0.1", "seed", "1"));
    private final TrialData shallowRelu = trial("a", Map.of("model.depth", "2", "model.activation", "relu",
            "model.init", "he", "optimizer.lr", "0.1", "seed", "1"));

    @Test
    void onlyParametersThatDifferVaryTheSweepAxesFirst() {
        VaryingParams varying = VaryingParams.of(List.of(deepSigmoid, shallowRelu));

        assertThat(varying.keys()).containsExactly("model.depth", "model.activation", "model.init");
        assertThat(varying.fixed()).containsExactly(entry("optimizer.lr", "0.1"), entry("seed", "1"));
    }

    @Test
    void trialsAreNamedByTheirDistinguishingValues() {
        assertThat(VaryingParams.describe(deepSigmoid, List.of("model.activation", "model.init")))
                .isEqualTo("sigmoid / xavier");
        assertThat(VaryingParams.describe(deepSigmoid, List.of("model.depth", "optimizer.lr")))
                .isEqualTo("depth=10 / lr=0.1");
        assertThat(VaryingParams.describe(deepSigmoid, List.of())).isEqualTo("b");
    }

    @Test
    void numbersAreOrderedByValueNotAsText() {
        assertThat(List.of(deepSigmoid, shallowRelu).stream().sorted(VaryingParams.order(List.of("model.depth"))))
                .containsExactly(shallowRelu, deepSigmoid);
    }

    private static TrialData trial(String name, Map<String, String> params) {
        return new TrialData("id-" + name, name, "FINISHED", params, Map.of());
    }
}

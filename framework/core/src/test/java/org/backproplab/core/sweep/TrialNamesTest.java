package org.backproplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialNamesTest {

    private static Map<String, Object> values(Object... pathsAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            values.put((String) pathsAndValues[i], pathsAndValues[i + 1]);
        }
        return values;
    }

    @Test
    void runNamesAreShortWordsAndAbbreviatedNumbers() {
        List<String> paths = List.of("model.depth", "model.activation", "model.init", "optimizer.lr");
        List<Map<String, Object>> trials = List.of(
                values("model.depth", 10L, "model.activation", "sigmoid", "model.init", "xavier", "optimizer.lr", 0.01),
                values("model.depth", 2L, "model.activation", "relu", "model.init", "he", "optimizer.lr", 0.1));

        assertThat(TrialNames.shortNames(trials, paths)).containsExactly("d10 sigmoid xavier lr0.01", "d2 relu he lr0.1");
    }

    @Test
    void aWordTwoParametersShareKeepsItsKeyAndSharedInitialsGrowUntilTheyDiffer() {
        List<String> paths = List.of("model.activation", "model.output_activation", "model.depth", "model.dropout",
                "model.hidden");
        List<Map<String, Object>> trials = List.of(
                values("model.activation", "sigmoid", "model.output_activation", "none", "model.depth", 4L,
                        "model.dropout", 0.1, "model.hidden", List.of(64L)),
                values("model.activation", "relu", "model.output_activation", "sigmoid", "model.depth", 8L,
                        "model.dropout", 0.5, "model.hidden", List.of(64L, 64L)));

        assertThat(TrialNames.shortNames(trials, paths)).containsExactly(
                "a=sigmoid none de4 dr0.1 h=[64]", "relu o=sigmoid de8 dr0.5 h=[64, 64]");
    }

    @Test
    void sameShortNamesAreNumberedAndNothingVaryingIsTrialN() {
        List<Map<String, Object>> trials = List.of(values("optimizer.lr", 0.1), values("optimizer.lr", 0.1));

        assertThat(TrialNames.shortNames(trials, List.of("optimizer.lr"))).containsExactly("trial 1", "trial 2");
        assertThat(TrialNames.shortNames(List.of(values("a.x", "p"), values("a.x", "q"), values("a.x", "p")),
                List.of("a.x"))).containsExactly("p", "q", "p #3");
    }
}

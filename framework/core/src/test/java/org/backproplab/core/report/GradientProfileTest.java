package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientProfileTest {

    @Test
    void initialisationIsTheFirstLoggedStepAndEndTheLastWhateverTheOrder() {
        TrialData trial = trial(Map.of(
                "grad_norm/layer_01", List.of(new MetricPoint(200, 0.3), new MetricPoint(100, 0.2),
                        new MetricPoint(200, 0.4)),
                "grad_norm/layer_02", List.of(new MetricPoint(100, 2.0), new MetricPoint(200, 4.0)),
                "train/loss", List.of(new MetricPoint(0, 1.0))));

        GradientProfile initial = GradientProfile.atInitialisation(trial).orElseThrow();
        GradientProfile end = GradientProfile.atEnd(trial).orElseThrow();

        assertThat(initial.step()).isEqualTo(100); // train/loss at step 0 is not a gradient norm
        assertThat(initial.norms()).containsExactly(0.2, 2.0);
        assertThat(initial.firstToLastRatio()).isEqualTo(0.1);
        assertThat(end.step()).isEqualTo(200);
        assertThat(end.norms()).containsExactly(0.4, 4.0); // the value logged last at that step
    }

    @Test
    void missingAndNonFiniteLayersAreNaNAndLeaveNoRatio() {
        TrialData trial = trial(Map.of(
                "grad_norm/layer_01", List.of(new MetricPoint(0, Double.POSITIVE_INFINITY)),
                "grad_norm/layer_03", List.of(new MetricPoint(0, 0.5)),
                "grad_norm/not_a_layer", List.of(new MetricPoint(0, 9.0))));

        GradientProfile profile = GradientProfile.atInitialisation(trial).orElseThrow();

        assertThat(profile.layerCount()).isEqualTo(3);
        assertThat(profile.norm(1)).isNaN();
        assertThat(profile.norm(2)).isNaN();
        assertThat(profile.norm(3)).isEqualTo(0.5);
        assertThat(profile.firstToLastRatio()).isNaN();
    }

    @Test
    void aTrialWithoutGradientNormsHasNoProfile() {
        assertThat(GradientProfile.atInitialisation(trial(Map.of("train/loss", List.of(new MetricPoint(0, 1))))))
                .isEmpty();
    }

    private static TrialData trial(Map<String, List<MetricPoint>> metrics) {
        return new TrialData("id", "name", "FINISHED", Map.of(), metrics);
    }
}

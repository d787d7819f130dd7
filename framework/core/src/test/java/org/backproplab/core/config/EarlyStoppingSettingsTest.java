package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code training.early_stopping}: a group of settings inside a section, bound and checked like the others. */
class EarlyStoppingSettingsTest {

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.catalog());

    private Experiment load(String training) throws ConfigException {
        return loader.load("x.yaml", ExperimentLoaderTest.XOR.replace(
                "training:  { epochs: 5000, batch_size: 4, log_every: 50 }", "training:  " + training), List.of());
    }

    private List<String> problems(String training) {
        ConfigException e = catchThrowableOfType(() -> load(training), ConfigException.class);
        assertThat(e).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void absentMeansNeverAndGivenIsBoundWithDefaults() throws ConfigException {
        assertThat(load("{ epochs: 5 }").training().earlyStopping()).isNull();

        Experiment experiment = load("{ epochs: 5, early_stopping: { metric: eval/loss, patience: 3 } }");

        assertThat(experiment.training().earlyStopping()).isEqualTo(new EarlyStopping("eval/loss", 3, "min", 0.0));
        assertThat(experiment.flattenedParameters()).containsEntry("training.early_stopping.metric", "eval/loss")
                .containsEntry("training.early_stopping.patience", "3");
        // The resolved file loads again to the same settings.
        Experiment again = loader.load("again.yaml", experiment.resolvedYaml(), List.of());
        assertThat(again.training()).isEqualTo(experiment.training());
    }

    @Test
    void overridesReachInsideTheGroup() throws ConfigException {
        Experiment experiment = loader.load("x.yaml", ExperimentLoaderTest.XOR,
                List.of("training.early_stopping.metric=eval/accuracy", "training.early_stopping.mode=max"));

        assertThat(experiment.training().earlyStopping()).isEqualTo(new EarlyStopping("eval/accuracy", 5, "max", 0.0));
        Object group = ((Map<?, ?>) experiment.resolved().get("training")).get("early_stopping");
        assertThat(group).isEqualTo(ExperimentLoaderTest.ordered("metric", "eval/accuracy", "patience", 5L, "mode", "max",
                "min_delta", 0.0));
    }

    @Test
    void itsProblemsAreReportedWithTheirPaths() {
        assertThat(problems("{ early_stopping: { patience: 0, mode: up, metrc: x } }")).containsExactly(
                "x.yaml:8:30: training.early_stopping.metric: missing (required)",
                "x.yaml:8:42: training.early_stopping.patience: must be greater than 0, got 0",
                "x.yaml:8:51: training.early_stopping.mode: must be min or max, got 'up'",
                "x.yaml:8:55: training.early_stopping.metrc: unknown setting of training.early_stopping; did you mean"
                        + " 'metric'? (known: metric, patience, mode, min_delta)");
        assertThat(problems("{ early_stopping: 5 }")).containsExactly("x.yaml:8:30: training.early_stopping: must be a"
                + " mapping of settings (metric, patience, mode, min_delta), got 5");
    }
}

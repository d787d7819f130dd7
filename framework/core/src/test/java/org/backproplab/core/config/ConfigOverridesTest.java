package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.backproplab.core.config.TestComponents.Activation;
import org.junit.jupiter.api.Test;

/** {@code --set path=value}: applied before binding, checked like the file, problems placed in the override. */
class ConfigOverridesTest {

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.catalog());

    @Test
    void scalarOverrideReplacesTheFilesValue() throws ConfigException {
        Experiment experiment = load("optimizer.lr=0.1", "model.activation=tanh", "seed=3");

        assertThat(experiment.optimizer().parameters()).isEqualTo(new TestComponents.Sgd(0.1, 0.0, 0.0, null));
        assertThat(((TestComponents.Net) experiment.model().parameters()).activation()).isEqualTo(Activation.TANH);
        assertThat(experiment.seed()).isEqualTo(3L);
        assertThat(experiment.flattenedParameters()).containsEntry("optimizer.lr", "0.1");
    }

    @Test
    void listOverrideReplacesTheWholeList() throws ConfigException {
        Experiment experiment = load("model.hidden=[4, 4]");

        assertThat(((TestComponents.Net) experiment.model().parameters()).hidden()).containsExactly(4, 4);
        assertThat(experiment.flattenedParameters()).containsEntry("model.hidden", "[4, 4]");
    }

    @Test
    void typeOverrideKeepsTheOtherKeysAndChecksThemAgainstTheNewType() throws ConfigException {
        Experiment experiment = load("optimizer.type=adam");

        assertThat(experiment.optimizer().type()).isEqualTo("adam");
        assertThat(experiment.optimizer().factory().parametersType()).isEqualTo(TestComponents.Adam.class);
        assertThat(experiment.optimizer().parameters()).isEqualTo(new TestComponents.Adam(0.5, 1e-8, 0L));
    }

    @Test
    void typeOverrideReportsKeysTheNewTypeLacksAtTheirLineInTheFile() {
        String yaml = ConfigProblemsTest.valid().replace("lr: 0.5", "lr: 0.5, momentum: 0.9");

        assertThat(problems(yaml, "optimizer.type=adam")).containsExactly(
                "x.yaml:7:34: optimizer.momentum: unknown parameter of optimizer 'adam' (known: lr, epsilon, warmup_steps)");
    }

    @Test
    void mappingOverrideReplacesAWholeBlock() throws ConfigException {
        Experiment experiment = load("optimizer={type: adam, warmup_steps: 100}");

        assertThat(experiment.optimizer().parameters()).isEqualTo(new TestComponents.Adam(0.001, 1e-8, 100L));
    }

    @Test
    void overrideCreatesSectionsAndKeysTheFileLeftOut() throws ConfigException {
        String yaml = ConfigProblemsTest.valid()
                .replace("training:  { epochs: 5000, batch_size: 4, log_every: 50 }\n", "");

        Experiment experiment = loader.load("x.yaml", yaml,
                List.of("training.epochs=3", "training.device=gpu:1", "tracking.uri=http://localhost:5000"));

        assertThat(experiment.training()).isEqualTo(new TrainingSettings(3, 32, 50, true, "gpu:1", null));
        assertThat(experiment.tracking().uri()).isEqualTo("http://localhost:5000");
        assertThat(experiment.resolved().get("training"))
                .isEqualTo(ExperimentLoaderTest.ordered("epochs", 3L, "batch_size", 32L, "log_every", 50L,
                        "shuffle", true, "device", "gpu:1", "threads", null, "early_stopping", null,
                        "clip_grad_norm", null, "clip_grad_value", null));
    }

    @Test
    void emptyValueClearsAnOptionalParameter() throws ConfigException {
        String yaml = ConfigProblemsTest.valid().replace("log_every: 50", "log_every: 50, threads: 4");

        assertThat(loader.load("x.yaml", yaml, List.of("training.threads=")).training().threads()).isNull();
    }

    @Test
    void laterOverridesWin() throws ConfigException {
        assertThat(load("training.epochs=3", "training.epochs=4").training().epochs()).isEqualTo(4);
    }

    @Test
    void malformedOverridesAreProblems() {
        assertThat(problems(ConfigProblemsTest.valid(), "optimizer.lr", "=0.1", "optimizer..lr=0.1")).containsExactly(
                "--set optimizer.lr:1:1: no '='; expected path=value, e.g. optimizer.lr=0.1",
                "--set =0.1:1:1: empty path; expected path=value, e.g. optimizer.lr=0.1",
                "--set optimizer..lr=0.1:1:11: empty key in path 'optimizer..lr'; expected path=value, e.g. optimizer.lr=0.1");
    }

    @Test
    void problemsInOverrideValuesArePlacedInTheOverride() {
        assertThat(problems(ConfigProblemsTest.valid(),
                "optimizer.lr=-1", "optimizer.lrr=1", "model.hidden=[4, x]", "training.epochs=[4,", "name.first=x"))
                .containsExactly(
                        "--set optimizer.lr=-1:1:14: optimizer.lr: must be greater than 0, got -1",
                        "--set optimizer.lrr=1:1:11: optimizer.lrr: unknown parameter of optimizer 'sgd'; did you mean 'lr'? "
                                + "(known: lr, momentum, weight_decay, clip_grad)",
                        "--set model.hidden=[4, x]:1:18: model.hidden[1]: must be an integer, got 'x'",
                        "--set training.epochs=[4,:1:20: YAML syntax error: while parsing a flow node, "
                                + "expected the node content, but found '<stream end>'",
                        "--set name.first=x:1:1: name: cannot set name.first: this is 'xor', not a mapping");
    }

    @Test
    void overrideProblemsComeAfterTheFilesAndTogetherWithThem() {
        String yaml = ConfigProblemsTest.valid().replace("count: 4", "count: -4");

        assertThat(problems(yaml, "trainig.epochs=3")).containsExactly(
                "x.yaml:4:35: dataset.count: must be greater than 0, got -4",
                "--set trainig.epochs=3:1:1: trainig: unknown key; did you mean 'training'? (known: name, seed, description, "
                        + "dataset, model, loss, optimizer, metrics, callbacks, training, tracking, diagnostics, sweep, objective)");
    }

    private Experiment load(String... overrides) throws ConfigException {
        return loader.load("x.yaml", ConfigProblemsTest.valid(), List.of(overrides));
    }

    private List<String> problems(String yaml, String... overrides) {
        try {
            loader.load("x.yaml", yaml, List.of(overrides));
        } catch (ConfigException e) {
            return ConfigProblemsTest.messages(e);
        }
        return fail("expected problems with %s", List.of(overrides));
    }
}

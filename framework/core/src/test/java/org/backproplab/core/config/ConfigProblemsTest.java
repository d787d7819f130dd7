package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Mistakes in experiment files: each reported with file, line, column and path, all at once. */
class ConfigProblemsTest {

    private static final String KNOWN_TOP_LEVEL =
            "(known: name, seed, description, dataset, model, loss, optimizer, metrics, callbacks, training, tracking, diagnostics, sweep, objective)";

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.catalog());

    @Test
    void reportsEveryMistakeOfAFileAtOnceInFileOrder() {
        ConfigException failure = failure("experiments/bad.yaml", """
                name: my experiment
                seed: many
                trainig: {epochs: 3}
                dataset: {type: points, count: 2.5, noise: -1}
                model:
                  type: net
                  hidden: [4, 0]
                  activation: rellu
                loss: {type: squard}
                optimizer:
                  type: sgd
                  lrr: 0.1
                  momentum: 1.5
                training:
                  epochs: many
                  device: tpu
                tracking: {experiment: x, runname: y}
                """);

        assertThat(messages(failure)).containsExactly(
                "experiments/bad.yaml:1:7: name: must start with a letter or digit and contain only letters, digits, "
                        + "'_', '.' and '-', got 'my experiment'",
                "experiments/bad.yaml:2:7: seed: must be an integer, got 'many'",
                "experiments/bad.yaml:3:1: trainig: unknown key; did you mean 'training'? " + KNOWN_TOP_LEVEL,
                "experiments/bad.yaml:4:32: dataset.count: must be an integer, got 2.5",
                "experiments/bad.yaml:4:44: dataset.noise: must be greater than or equal to 0, got -1",
                "experiments/bad.yaml:7:15: model.hidden[1]: must be greater than 0, got 0",
                "experiments/bad.yaml:8:15: model.activation: must be one of sigmoid, tanh, relu, leaky_relu, "
                        + "got 'rellu'; did you mean 'relu'?",
                "experiments/bad.yaml:9:14: loss.type: unknown loss 'squard'; did you mean 'squared'? "
                        + "(known: smoothed, squared)",
                "experiments/bad.yaml:12:3: optimizer.lrr: unknown parameter of optimizer 'sgd'; did you mean 'lr'? "
                        + "(known: lr, momentum, weight_decay, clip_grad)",
                "experiments/bad.yaml:13:13: optimizer.momentum: must be less than 1, got 1.5",
                "experiments/bad.yaml:15:11: training.epochs: must be an integer, got 'many'",
                "experiments/bad.yaml:16:11: training.device: must be auto, cpu, gpu or gpu:N such as gpu:0, got 'tpu'",
                "experiments/bad.yaml:17:27: tracking.runname: unknown setting of tracking; did you mean 'run_name'? "
                        + "(known: experiment, uri, run_name)");
        assertThat(failure.file()).isEqualTo("experiments/bad.yaml");
        assertThat(failure.getMessage())
                .startsWith("13 problems in experiments/bad.yaml:" + System.lineSeparator()
                        + "  experiments/bad.yaml:1:7: name: ")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void problemsCarryPositionPathAndMessageSeparately() {
        ConfigProblem problem = only(failure("x.yaml", valid().replace("lr: 0.5", "lr: -0.5")));

        assertThat(problem.position()).isEqualTo(new SourcePosition("x.yaml", 7, 29));
        assertThat(problem.path()).isEqualTo("optimizer.lr");
        assertThat(problem.message()).isEqualTo("must be greater than 0, got -0.5");
        assertThat(problem).hasToString("x.yaml:7:29: optimizer.lr: must be greater than 0, got -0.5");
    }

    @Test
    void unknownParameterSuggestsTheNearestAndListsTheKnown() {
        assertThat(messages(failure("x.yaml", valid().replace("lr: 0.5", "weight_decy: 0.5")))).containsExactly(
                "x.yaml:7:25: optimizer.weight_decy: unknown parameter of optimizer 'sgd'; did you mean 'weight_decay'? "
                        + "(known: lr, momentum, weight_decay, clip_grad)");
    }

    @Test
    void unknownParameterFarFromEveryNameGetsNoSuggestion() {
        assertThat(messages(failure("x.yaml", valid().replace("lr: 0.5", "nesterov: true")))).containsExactly(
                "x.yaml:7:25: optimizer.nesterov: unknown parameter of optimizer 'sgd' "
                        + "(known: lr, momentum, weight_decay, clip_grad)");
    }

    @Test
    void componentWithoutParametersSaysSo() {
        assertThat(messages(failure("x.yaml", valid().replace("{ type: squared }", "{ type: squared, scale: 2 }"))))
                .containsExactly("x.yaml:6:29: loss.scale: unknown parameter of loss 'squared' (it takes none)");
    }

    @Test
    void unknownTypeSuggestsTheNearestAndDoesNotReportItsParameters() {
        assertThat(messages(failure("x.yaml", valid().replace("type: sgd, lr: 0.5", "type: adamm, lr: 0.5, bogus: 1"))))
                .containsExactly("x.yaml:7:20: optimizer.type: unknown optimizer 'adamm'; did you mean 'adam'? "
                        + "(known: adam, sgd)");
    }

    @Test
    void missingTypeListsTheChoices() {
        assertThat(messages(failure("x.yaml", valid().replace("{ type: net, hidden: [2] }", "{ hidden: [2] }"))))
                .containsExactly("x.yaml:5:12: model.type: missing; one of: linear, net");
    }

    @Test
    void missingComponentAndComponentThatIsNotAMapping() {
        String yaml = valid()
                .replace("dataset:   { type: points, count: 4 }\n", "")
                .replace("{ type: squared }", "squared");

        assertThat(messages(failure("x.yaml", yaml))).containsExactly(
                "x.yaml:1:1: dataset: missing (required); give a mapping with a type, one of: csv, points",
                "x.yaml:5:12: loss: must be a mapping with a type, e.g. {type: squared}, got 'squared'");
    }

    @Test
    void missingRequiredParameterIsPlacedAtItsBlock() {
        assertThat(messages(failure("x.yaml", valid().replace("{ type: points, count: 4 }", "{ type: csv }"))))
                .containsExactly("x.yaml:4:12: dataset.path: missing (required)");
    }

    @Test
    void missingNameAndNullForARequiredParameter() {
        String yaml = valid().replace("name: xor\n", "").replace("{ type: points, count: 4 }", "{ type: csv, path: }");

        assertThat(messages(failure("x.yaml", yaml))).containsExactly(
                "x.yaml:1:1: name: missing (required)",
                "x.yaml:3:30: dataset.path: missing (required)");
    }

    @Test
    void nullWhereADefaultExistsIsAProblemThatNamesTheDefault() {
        assertThat(messages(failure("x.yaml", valid().replace("lr: 0.5", "lr: 0.5, momentum: null"))))
                .containsExactly("x.yaml:7:44: optimizer.momentum: must not be null; leave it out for the default, 0.0");
    }

    @Test
    void wrongValueTypesSayWhatWasExpectedAndWhatWasGiven() {
        String yaml = valid()
                .replace("count: 4", "count: [4]")
                .replace("hidden: [2]", "hidden: 2, bias: yes")
                .replace("lr: 0.5", "lr: fast")
                .replace("epochs: 5000", "epochs: 99999999999")
                .replace("batch_size: 4", "batch_size: {n: 4}");

        assertThat(messages(failure("x.yaml", yaml))).containsExactly(
                "x.yaml:4:35: dataset.count: must be an integer, got a list",
                "x.yaml:5:33: model.hidden: must be a list, e.g. [2], got 2",
                "x.yaml:5:42: model.bias: must be true or false, got 'yes'",
                "x.yaml:7:29: optimizer.lr: must be a number, got 'fast'",
                "x.yaml:8:22: training.epochs: must be an integer from -2147483648 to 2147483647, got 99999999999",
                "x.yaml:8:47: training.batch_size: must be an integer, got a mapping");
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String yaml = valid().replace("lr: 0.5", "lr: \"" + "x".repeat(100) + "\"");

        assertThat(messages(failure("x.yaml", yaml)))
                .containsExactly("x.yaml:7:29: optimizer.lr: must be a number, got '" + "x".repeat(57) + "...'");
    }

    @Test
    void constraintOfADefaultedNumberAndOfAFloat() {
        String yaml = valid().replace("{ type: squared }", "{ type: smoothed, smoothing: 1 }")
                .replace("training:  {", "training:  { threads: 0,");

        assertThat(messages(failure("x.yaml", yaml))).containsExactly(
                "x.yaml:6:41: loss.smoothing: must be less than 1, got 1",
                "x.yaml:8:23: training.threads: must be greater than 0, got 0");
    }

    @Test
    void ruleOverSeveralParametersIsPlacedAtTheBlock() {
        assertThat(messages(failure("x.yaml", valid().replace("hidden: [2]", "hidden: [], dropout: 0.5"))))
                .containsExactly("x.yaml:5:12: model: dropout needs at least one hidden layer");
    }

    @Test
    void sectionsMustBeMappings() {
        String yaml = valid().replace("training:  { epochs: 5000, batch_size: 4, log_every: 50 }", "training: 5000")
                + "sweep: [lr]\n";

        assertThat(messages(failure("x.yaml", yaml))).containsExactly(
                "x.yaml:8:11: training: must be a mapping of settings such as {epochs: 10}, got 5000",
                "x.yaml:10:8: sweep: must be a mapping, got a list");
    }

    @Test
    void messagesNameTheFileAsGiven() {
        ConfigException failure = failure("../somewhere/else.yaml", valid().replace("sgd", "sgdd"));

        assertThat(failure.getMessage()).isEqualTo("1 problem in ../somewhere/else.yaml:" + System.lineSeparator()
                + "  ../somewhere/else.yaml:7:20: optimizer.type: unknown optimizer 'sgdd'; did you mean 'sgd'? "
                + "(known: adam, sgd)");
    }

    /** A valid file whose lines the tests above break one by one. */
    static String valid() {
        return """
                name: xor
                seed: 42
                description: fine
                dataset:   { type: points, count: 4 }
                model:     { type: net, hidden: [2] }
                loss:      { type: squared }
                optimizer: { type: sgd, lr: 0.5 }
                training:  { epochs: 5000, batch_size: 4, log_every: 50 }
                tracking:  { experiment: xor }
                """;
    }

    private ConfigException failure(String fileName, String yaml, String... overrides) {
        try {
            loader.load(fileName, yaml, List.of(overrides));
        } catch (ConfigException e) {
            return e;
        }
        return fail("expected problems in:%n%s", yaml);
    }

    static List<String> messages(ConfigException failure) {
        return failure.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static ConfigProblem only(ConfigException failure) {
        assertThat(failure.problems()).hasSize(1);
        return failure.problems().get(0);
    }
}

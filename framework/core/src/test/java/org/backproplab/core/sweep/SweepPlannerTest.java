package org.backproplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ConfigProblem;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.sweep.SweepTestComponents.Adam;
import org.backproplab.core.sweep.SweepTestComponents.Sgd;
import org.junit.jupiter.api.Test;

class SweepPlannerTest {

    private static final String BASE = """
            name: s
            seed: 5
            dataset:   { type: points, count: 10 }
            model:     { type: net, hidden: [4], activation: relu }
            loss:      { type: squared }
            optimizer: { type: sgd, lr: 0.1 }
            training:  { epochs: 2 }
            """;

    private final SweepPlanner planner = new SweepPlanner(new ExperimentLoader(SweepTestComponents.catalog()));

    private SweepPlan plan(String sweep, String... overrides) throws ConfigException {
        return planner.plan("s.yaml", BASE + sweep, List.of(overrides)).orElseThrow();
    }

    private List<String> problems(String text) {
        ConfigException e = catchThrowableOfType(() -> planner.plan("s.yaml", text, List.of()), ConfigException.class);
        assertThat(e).as("a ConfigException for:%n%s", text).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void aGridIsEveryCombinationWithTheFirstParameterVaryingSlowest() throws ConfigException {
        SweepPlan plan = plan("""
                sweep:
                  method: grid
                  parameters:
                    optimizer.lr: [0.01, 0.1, 1.0]
                    model.activation: [sigmoid, tanh]
                    model.hidden: [[2], [4, 4]]
                """);

        assertThat(plan.trials()).hasSize(12);
        Trial first = plan.trial(1);
        assertThat(first.values()).containsExactly(Map.entry("optimizer.lr", 0.01), Map.entry("model.activation", "sigmoid"),
                Map.entry("model.hidden", List.of(2L)));
        assertThat(first.name()).isEqualTo("lr=0.01 activation=sigmoid hidden=[2]");
        assertThat(plan.trial(2).name()).isEqualTo("lr=0.01 activation=sigmoid hidden=[4, 4]");
        assertThat(plan.trial(12).name()).isEqualTo("lr=1 activation=tanh hidden=[4, 4]");
        // Each trial is the file loaded with its values as overrides, as a single run without the sweep.
        assertThat(plan.trial(12).experiment().optimizer().parameters()).isEqualTo(new Sgd(1.0, 0.0));
        assertThat(plan.trial(12).experiment().sweep()).isNull();
        assertThat(plan.trial(12).overrides()).containsExactly("sweep=null", "objective=null", "optimizer.lr=1.0",
                "model.activation=tanh", "model.hidden=[4, 4]");
        assertThat(new HashSet<>(plan.trials().stream().map(Trial::trialId).toList())).hasSize(12);
        assertThat(plan.varyingPaths()).containsExactly("optimizer.lr", "model.activation", "model.hidden");
        assertThat(plan.objective().metric()).isEqualTo("train/loss");
        assertThat(plan.objective().mode()).isEqualTo("min");
    }

    @Test
    void randomSearchWithASeedIsReproducibleAndDrawsWithinItsBounds() throws ConfigException {
        String sweep = """
                sweep:
                  method: random
                  trials: 200
                  seed: 7
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0 }
                    optimizer.momentum: { distribution: uniform, min: 0.0, max: 0.9 }
                    dataset.count: { distribution: int_uniform, min: 5, max: 9 }
                    model.activation: [sigmoid, tanh, relu]
                """;
        List<Map<String, Object>> drawn = plan(sweep).trials().stream().map(Trial::values).toList();

        assertThat(plan(sweep).trials().stream().map(Trial::values).toList()).isEqualTo(drawn);
        assertThat(plan(sweep.replace("seed: 7", "seed: 8")).trials().stream().map(Trial::values).toList())
                .isNotEqualTo(drawn);
        assertThat(drawn).hasSize(200).allSatisfy(values -> {
            assertThat((Double) values.get("optimizer.lr")).isBetween(1.0e-4, 1.0);
            assertThat((Double) values.get("optimizer.momentum")).isBetween(0.0, 0.9);
            assertThat((Long) values.get("dataset.count")).isBetween(5L, 9L);
            assertThat(values.get("model.activation")).isIn("sigmoid", "tanh", "relu");
            // Rounded to four significant digits, so names and MLflow tables stay readable.
            assertThat(Double.toString((Double) values.get("optimizer.lr")).replaceAll("E.*|^0\\.0*|\\.", "")).hasSizeLessThanOrEqualTo(4);
        });
        // Log scale: as many draws below the geometric middle (1e-2) as above it; a uniform draw would give ~1%.
        long belowMiddle = drawn.stream().filter(values -> (Double) values.get("optimizer.lr") < 1.0e-2).count();
        assertThat(belowMiddle).isBetween(70L, 130L);
        assertThat(drawn.stream().map(values -> values.get("dataset.count")).distinct()).hasSize(5);
    }

    @Test
    void randomSearchSeedsFromTheExperimentWhenTheSweepGivesNone() throws ConfigException {
        String sweep = """
                sweep:
                  method: random
                  trials: 3
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0 }
                """;

        assertThat(plan(sweep).definition().seed()).isEqualTo(5L);
        assertThat(plan(sweep).trials().stream().map(Trial::values).toList())
                .isEqualTo(plan(sweep.replace("trials: 3", "trials: 3\n  seed: 5")).trials().stream().map(Trial::values).toList());
    }

    @Test
    void randomSearchRunsEachCombinationOnceWhenThereAreFewerThanAskedFor() throws ConfigException {
        SweepPlan plan = plan("""
                sweep:
                  method: random
                  trials: 10
                  parameters:
                    model.activation: [sigmoid, tanh]
                """);

        assertThat(plan.trials()).hasSize(2);
        assertThat(plan.notes()).singleElement().asString().contains("only 2 distinct combinations");
    }

    @Test
    void whenScopesAParameterToTheTypeItBelongsTo() throws ConfigException {
        SweepPlan plan = plan("""
                sweep:
                  parameters:
                    optimizer.type: [sgd, adam]
                    optimizer.lr: [0.01, 0.1]
                    optimizer.momentum: { values: [0.0, 0.9], when: { optimizer.type: sgd } }
                """);

        // sgd: 2 learning rates x 2 momenta; adam: 2 learning rates, momentum not applied.
        assertThat(plan.trials()).extracting(Trial::name).containsExactly(
                "type=sgd lr=0.01 momentum=0", "type=sgd lr=0.01 momentum=0.9",
                "type=sgd lr=0.1 momentum=0", "type=sgd lr=0.1 momentum=0.9",
                "type=adam lr=0.01", "type=adam lr=0.1");
        assertThat(plan.trial(4).experiment().optimizer().parameters()).isEqualTo(new Sgd(0.1, 0.9));
        assertThat(plan.trial(6).experiment().optimizer().parameters()).isEqualTo(new Adam(0.1, 0.9));
        assertThat(plan.trial(6).values()).doesNotContainKey("optimizer.momentum");
    }

    @Test
    void aParameterThatATypeLacksIsAProblemOfThoseTrialsAtItsValueInTheFile() {
        List<String> problems = problems(BASE + """
                sweep:
                  parameters:
                    optimizer.type: [sgd, adam]
                    optimizer.momentum: [0.0, 0.9]
                """);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .startsWith("s.yaml:11:26: optimizer.momentum: unknown parameter of optimizer 'adam' (known: lr, beta1)")
                .contains("when: {optimizer.type: [...]}")
                .endsWith("(in trial 3: type=adam momentum=0)");
        assertThat(problems.get(1)).startsWith("s.yaml:11:31: optimizer.momentum: unknown parameter of optimizer 'adam'")
                .endsWith("(in trial 4: type=adam momentum=0.9)");
    }

    @Test
    void aProblemOfSomeTrialsNamesThemAndOneOfEveryTrialIsListedOnce() {
        List<String> problems = problems(BASE.replace("lr: 0.1", "lr: -1") + """
                sweep:
                  parameters:
                    optimizer.momentum: [0.5, 1.5, 2.5]
                """);

        assertThat(problems).containsExactly(
                "s.yaml:6:29: optimizer.lr: must be greater than 0, got -1",
                "s.yaml:10:31: optimizer.momentum: must be less than 1, got 1.5 (in trial 2: momentum=1.5)",
                "s.yaml:10:36: optimizer.momentum: must be less than 1, got 2.5 (in trial 3: momentum=2.5)");
    }

    @Test
    void everyProblemOfADefinitionIsReportedAtOnceWithItsPosition() {
        List<String> problems = problems(BASE.replace("type: squared", "type: squaredd") + """
                sweep:
                  method: grdi
                  parameters:
                    optimizer.lr: []
                    optimizer.momentum: { distribution: normal, min: 0, max: 1 }
                    modle.hidden: [[2]]
                    training.epochs: { distribution: uniform, min: 5, max: 1 }
                objective: { metric: eval/accuracy }
                """);

        assertThat(problems).containsExactly(
                "s.yaml:5:20: loss.type: unknown loss 'squaredd'; did you mean 'squared'? (known: squared)",
                "s.yaml:9:11: sweep.method: unknown method 'grdi'; did you mean 'grid'? (known: grid, every combination;"
                        + " random, sampled; tpe, proposed from the results so far)",
                "s.yaml:11:19: sweep.parameters.optimizer.lr: empty list: give at least one value",
                "s.yaml:12:41: sweep.parameters.optimizer.momentum.distribution: unknown distribution 'normal' (known:"
                        + " uniform, log_uniform, int_uniform)",
                "s.yaml:13:5: sweep.parameters.modle.hidden: unknown section 'modle'; did you mean 'model'? (sweepable:"
                        + " seed, dataset, model, loss, optimizer, metrics, callbacks, training, diagnostics)",
                "s.yaml:14:52: sweep.parameters.training.epochs: min 5 is greater than max 1",
                "s.yaml:15:12: objective.mode: missing (required): max (higher is better, e.g. accuracy) or min (lower is"
                        + " better, e.g. loss)");
    }

    @Test
    void aGridNeedsListsAndRandomSearchNeedsATrialCount() {
        assertThat(problems(BASE + """
                sweep:
                  method: grid
                  seed: 3
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 0.001, max: 1 }
                """)).containsExactly(
                "s.yaml:10:3: sweep.seed: applies to method: random or tpe only; a grid runs every combination of the listed"
                        + " values",
                "s.yaml:12:35: sweep.parameters.optimizer.lr: a distribution needs method: random or tpe; a grid needs a list of"
                        + " values, e.g. [0.001, 0.01, 0.1]");
        assertThat(problems(BASE + """
                sweep:
                  method: random
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 0, max: 1 }
                    name: [a, b]
                """)).containsExactly(
                "s.yaml:9:3: sweep.trials: missing (required for method: random): how many trials to run, e.g. 20",
                "s.yaml:11:53: sweep.parameters.optimizer.lr.min: must be greater than 0 for log_uniform (a log scale has"
                        + " no 0), got 0",
                "s.yaml:12:5: sweep.parameters.name: cannot be swept: name is the same for every trial of a sweep"
                        + " (sweepable: seed, dataset, model, loss, optimizer, metrics, callbacks, training, diagnostics)");
    }

    @Test
    void aValueListedTwiceOrTwoTrialsWithOneConfigurationAreRefused() {
        assertThat(problems(BASE + """
                sweep:
                  parameters:
                    optimizer.lr: [0.1, 0.10]
                """)).containsExactly("s.yaml:10:25: sweep.parameters.optimizer.lr: value 0.10 is listed twice");
        // Activations match ignoring case, so these two trials are one configuration.
        assertThat(problems(BASE + """
                sweep:
                  parameters:
                    model.activation: [relu, RELU]
                """)).singleElement().asString()
                .contains("trial 2 (activation=RELU) and trial 1 (activation=relu) have the same configuration");
    }

    @Test
    void aSweptBlockIsReplacedBeforeTheValuesSetInsideIt() throws ConfigException {
        SweepPlan plan = plan("""
                sweep:
                  parameters:
                    optimizer.lr: [0.02]
                    optimizer: [{type: adam}, {type: sgd, momentum: 0.5}]
                """);

        assertThat(plan.trial(1).experiment().optimizer().parameters()).isEqualTo(new Adam(0.02, 0.9));
        assertThat(plan.trial(2).experiment().optimizer().parameters()).isEqualTo(new Sgd(0.02, 0.5));
        assertThat(plan.trial(2).name()).isEqualTo("optimizer={type: sgd, momentum: 0.5}");
    }

    @Test
    void idsFollowTheConfigurationAndTheDefinition() throws ConfigException {
        String sweep = """
                sweep:
                  parameters:
                    optimizer.lr: [0.01, 0.1]
                """;
        SweepPlan plan = plan(sweep);
        SweepPlan again = plan(sweep);
        SweepPlan otherBase = plan(sweep, "training.epochs=3");
        SweepPlan otherDefinition = plan(sweep.replace("0.1]", "0.1, 1.0]"));

        assertThat(again.sweepId()).isEqualTo(plan.sweepId());
        assertThat(again.trials()).extracting(Trial::trialId).isEqualTo(plan.trials().stream().map(Trial::trialId).toList());
        assertThat(otherBase.definitionHash()).isEqualTo(plan.definitionHash());
        assertThat(otherBase.sweepId()).isNotEqualTo(plan.sweepId());
        assertThat(otherBase.trial(1).trialId()).isNotEqualTo(plan.trial(1).trialId());
        assertThat(otherDefinition.definitionHash()).isNotEqualTo(plan.definitionHash());
        // A trial is identified by what it trains, so the same values give the same trial in a larger sweep.
        assertThat(otherDefinition.trial(2).trialId()).isEqualTo(plan.trial(2).trialId());
    }

    @Test
    void overridesApplyToEveryTrialAndCanChangeTheSweep() throws ConfigException {
        SweepPlan plan = plan("""
                sweep:
                  method: random
                  trials: 5
                  parameters:
                    optimizer.lr: { distribution: uniform, min: 0.1, max: 0.2 }
                """, "training.epochs=7", "sweep.trials=2");

        assertThat(plan.trials()).hasSize(2).allSatisfy(trial -> assertThat(trial.experiment().training().epochs()).isEqualTo(7));
    }

    @Test
    void aFileWithoutSweepHasNoPlanAndAHugeGridIsRefused() throws ConfigException {
        assertThat(planner.plan("s.yaml", BASE, List.of())).isEmpty();
        assertThat(planner.plan("s.yaml", BASE + "sweep: null\n", List.of())).isEmpty();
        String values = "[" + String.join(", ", java.util.stream.IntStream.range(1, 12).mapToObj(i -> Double.toString(i / 1000.0)).toList()) + "]";
        assertThatThrownBy(() -> plan("""
                sweep:
                  parameters:
                    optimizer.lr: LIST
                    optimizer.momentum: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.81, 0.82]
                    dataset.count: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
                """.replace("LIST", values)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s.yaml:9:3: sweep: the grid has about 1100 trials; the limit is 1000");
    }

    private static final String TPE = """
            sweep:
              method: tpe
              trials: 12
              startup_trials: 4
              pruner: { type: asha, min_steps: 5, reduction_factor: 3 }
              parameters:
                optimizer.type: [sgd, adam]
                optimizer.lr: { distribution: log_uniform, min: 1.0e-3, max: 0.5 }
                optimizer.momentum: { distribution: uniform, min: 0.0, max: 0.9, when: { optimizer.type: sgd } }
                model.activation: [relu, tanh, sigmoid]
                dataset.count: { distribution: int_uniform, min: 5, max: 9 }
            """;

    @Test
    void aTpeSweepChecksEveryBoundAndListedValueUpFrontAndMakesTrialsAsProposed() throws ConfigException {
        SweepPlan plan = plan(TPE);

        assertThat(plan.adaptive()).isTrue();
        assertThat(plan.trials()).isEmpty();
        assertThat(plan.size()).isEqualTo(12);
        assertThat(plan.definition().startupTrials()).isEqualTo(4);
        assertThat(plan.definition().pruner().canonicalText()).isEqualTo("asha(min_steps=5, reduction_factor=3, max_steps=0)");
        // Lower bounds (with the first type, so momentum applies), upper bounds, and the middle listed value.
        assertThat(plan.samples()).extracting(Trial::values).containsExactly(
                Map.of("optimizer.type", "sgd", "optimizer.lr", 0.001, "optimizer.momentum", 0.0, "model.activation", "relu",
                        "dataset.count", 5L),
                Map.of("optimizer.type", "adam", "optimizer.lr", 0.5, "model.activation", "sigmoid", "dataset.count", 9L),
                Map.of("optimizer.type", "sgd", "optimizer.lr", 0.001, "optimizer.momentum", 0.0, "model.activation", "tanh",
                        "dataset.count", 5L));
        Map<String, Object> values = Map.of("optimizer.type", "sgd", "optimizer.lr", 0.02, "optimizer.momentum", 0.5,
                "model.activation", "tanh", "dataset.count", 7L);
        Trial trial = plan.maker().make(3, values);
        assertThat(trial.index()).isEqualTo(3);
        assertThat(trial.experiment().optimizer().parameters()).isEqualTo(new Sgd(0.02, 0.5));
        // The same values make the same configuration in any process: how a worker and a resumed sweep check a trial.
        assertThat(plan(TPE).maker().make(3, trial.values()).trialId()).isEqualTo(trial.trialId());
        assertThat(plan(TPE).sweepId()).isEqualTo(plan.sweepId());
        assertThat(plan(TPE.replace("min_steps: 5", "min_steps: 6")).sweepId()).isNotEqualTo(plan.sweepId());
    }

    @Test
    void badTpeAndPrunerSettingsAreReportedAtOnce() {
        assertThat(problems(BASE + """
                sweep:
                  method: tpe
                  startup_trials: -1
                  pruner: { type: ashha, min_steps: 5 }
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 1.0e-3, max: 0.5 }
                """)).containsExactly(
                "s.yaml:9:3: sweep.trials: missing (required for method: tpe): how many trials to run, e.g. 20",
                "s.yaml:10:19: sweep.startup_trials: must be an integer from 0 to 1000 (random trials before TPE models the"
                        + " results), got -1",
                "s.yaml:11:19: sweep.pruner.type: unknown pruner 'ashha'; did you mean 'asha'? (known: median, Optuna's"
                        + " median pruner; asha, asynchronous successive halving)");
        assertThat(problems(BASE + """
                sweep:
                  startup_trials: 3
                  pruner: { type: median, n_startup_trial: 2, interval_steps: 0 }
                  parameters:
                    optimizer.lr: [0.1, 0.2]
                """)).containsExactly(
                "s.yaml:9:3: sweep.startup_trials: applies to method: tpe only",
                "s.yaml:10:27: sweep.pruner.n_startup_trial: unknown key of a median pruner; did you mean 'n_startup_trials'?"
                        + " (known: type, n_startup_trials, n_warmup_steps, interval_steps)",
                "s.yaml:10:63: sweep.pruner.interval_steps: must be an integer of at least 1, got 0");
    }
}

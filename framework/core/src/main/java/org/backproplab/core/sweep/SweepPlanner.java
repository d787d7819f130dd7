package org.backproplab.core.sweep;

import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ConfigProblem;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.config.SweepDefinition;

/**
 * Expands a sweep into its trials and loads each one as the experiment file with the trial's values as
 * {@code --set} overrides, so that all the file's checks apply per trial. Every problem of every trial is
 * reported at once, before anything runs.
 */
public final class SweepPlanner {

    /** Overrides that make a trial a single run: re-running its {@code lab.command} trains that trial alone. */
    static final List<String> SINGLE_RUN = List.of("sweep=null", "objective=null");

    private final ExperimentLoader loader;

    @Inject
    public SweepPlanner(ExperimentLoader loader) {
        this.loader = loader;
    }

    /** How the experiment's text is loaded: from a file, or from a string in tests. */
    private interface Source {
        Optional<SweepDefinition> sweep(List<String> overrides) throws ConfigException;

        Experiment experiment(List<String> overrides) throws ConfigException;
    }

    /**
     * The sweep of an experiment file.
     *
     * @return empty when the file has no {@code sweep:} section (or cannot be read: loading it as a single run
     *     reports why)
     * @throws ConfigException every problem of the sweep definition and of every trial
     */
    public Optional<SweepPlan> plan(Path file, List<String> overrides) throws ConfigException {
        return plan(file.toString(), overrides, new Source() {
            @Override
            public Optional<SweepDefinition> sweep(List<String> all) throws ConfigException {
                return loader.loadSweep(file, all);
            }

            @Override
            public Experiment experiment(List<String> all) throws ConfigException {
                return loader.load(file, all);
            }
        });
    }

    /** {@link #plan(Path, List)} of a text. */
    public Optional<SweepPlan> plan(String fileName, String yamlText, List<String> overrides) throws ConfigException {
        return plan(fileName, overrides, new Source() {
            @Override
            public Optional<SweepDefinition> sweep(List<String> all) throws ConfigException {
                return loader.loadSweep(fileName, yamlText, all);
            }

            @Override
            public Experiment experiment(List<String> all) throws ConfigException {
                return loader.load(fileName, yamlText, all);
            }
        });
    }

    private Optional<SweepPlan> plan(String fileName, List<String> overrides, Source source) throws ConfigException {
        Optional<SweepDefinition> found = source.sweep(overrides);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SweepDefinition definition = found.get();
        TrialExpander.Expansion expansion;
        try {
            expansion = TrialExpander.expand(definition, SweepDefinition.MAX_TRIALS);
        } catch (TrialExpander.TooManyTrials e) {
            throw new ConfigException(fileName, List.of(new ConfigProblem(definition.position(), "sweep", e.getMessage())));
        }
        List<String> paths = definition.parameters().stream().map(SweepDefinition.Parameter::path).toList();
        List<String> names = TrialNames.of(expansion.trials(), paths);
        TrialProblems problems = new TrialProblems(fileName, expansion.trials().size(), definition);
        List<Trial> trials = new ArrayList<>();
        Map<String, Trial> trialsById = new LinkedHashMap<>();
        for (int i = 0; i < expansion.trials().size(); i++) {
            TrialValues values = expansion.trials().get(i);
            List<String> trialOverrides = trialOverrides(overrides, values);
            try {
                Experiment experiment = source.experiment(trialOverrides);
                Trial trial = new Trial(i + 1, values.values(), trialOverrides, names.get(i), experiment,
                        Hashes.of(experiment.resolvedYaml()));
                Trial same = trialsById.putIfAbsent(trial.trialId(), trial);
                if (same != null) {
                    problems.addSweepProblem("trial " + trial.index() + " (" + trial.name() + ") and trial " + same.index()
                            + " (" + same.name() + ") have the same configuration; a sweep trains each one once");
                }
                trials.add(trial);
            } catch (ConfigException e) {
                problems.add(i + 1, names.get(i), values, e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw problems.toException();
        }
        List<String> notes = expansion.note() == null ? List.of() : List.of(expansion.note());
        String configurationHash = Hashes.of(String.join("\n", trialsById.keySet()));
        return Optional.of(new SweepPlan(fileName, overrides, definition, trials, TrialNames.varying(expansion.trials(), paths),
                Hashes.of(definition.canonicalYaml()), configurationHash, notes));
    }

    /** The command line's overrides, then those of a single run, then the trial's values, shorter paths first. */
    static List<String> trialOverrides(List<String> overrides, TrialValues values) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(SINGLE_RUN);
        values.values().entrySet().stream()
                // A swept block (optimizer: {type: adam}) replaces the whole block: set it before the values inside it.
                .sorted(Comparator.comparingLong(entry -> entry.getKey().chars().filter(c -> c == '.').count()))
                .forEach(entry -> all.add(ValueText.override(entry.getKey(), entry.getValue())));
        return all;
    }
}

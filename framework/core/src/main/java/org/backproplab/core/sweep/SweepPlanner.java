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
        if (definition.adaptive()) {
            return Optional.of(adaptivePlan(fileName, overrides, source, definition));
        }
        TrialExpander.Expansion expansion;
        try {
            expansion = TrialExpander.expand(definition, SweepDefinition.MAX_TRIALS);
        } catch (TrialExpander.TooManyTrials e) {
            throw new ConfigException(fileName, List.of(new ConfigProblem(definition.position(), "sweep", e.getMessage())));
        }
        List<String> paths = definition.parameters().stream().map(SweepDefinition.Parameter::path).toList();
        List<String> names = TrialNames.of(expansion.trials(), paths);
        List<Trial> trials = load(fileName, overrides, source, definition, expansion.trials(), names);
        List<String> notes = expansion.note() == null ? List.of() : List.of(expansion.note());
        SweepPlan.TrialMaker maker = (index, values) -> make(overrides, source, index,
                SearchSpaces.values(definition, values), index <= names.size() ? names.get(index - 1)
                        : TrialNames.ofValues(values, paths));
        return Optional.of(new SweepPlan(fileName, overrides, definition, trials, TrialNames.varying(expansion.trials(), paths),
                Hashes.of(definition.canonicalYaml()), configurationHash(trials), notes, trials, maker));
    }

    /**
     * A TPE sweep: its trials are proposed as it runs, so what is checked up front is the definition and a few
     * samples that put every distribution at its bounds and every listed value in a trial.
     */
    private static SweepPlan adaptivePlan(String fileName, List<String> overrides, Source source,
            SweepDefinition definition) throws ConfigException {
        List<String> paths = definition.parameters().stream().map(SweepDefinition.Parameter::path).toList();
        List<TrialValues> sampleValues = SearchSpaces.samples(definition);
        List<String> names = sampleValues.stream().map(values -> "sample " + TrialNames.ofValues(values.values(), paths))
                .toList();
        List<Trial> samples = load(fileName, overrides, source, definition, sampleValues, names);
        SweepPlan.TrialMaker maker = (index, values) -> make(overrides, source, index,
                SearchSpaces.values(definition, values), TrialNames.ofValues(values, paths));
        return new SweepPlan(fileName, overrides, definition, List.of(), paths, Hashes.of(definition.canonicalYaml()),
                configurationHash(samples), List.of(), samples, maker);
    }

    /** Every trial loaded, or every problem of every one. */
    private static List<Trial> load(String fileName, List<String> overrides, Source source, SweepDefinition definition,
            List<TrialValues> values, List<String> names) throws ConfigException {
        TrialProblems problems = new TrialProblems(fileName, values.size(), definition);
        List<Trial> trials = new ArrayList<>();
        Map<String, Trial> trialsById = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                Trial trial = make(overrides, source, i + 1, values.get(i), names.get(i));
                Trial same = trialsById.putIfAbsent(trial.trialId(), trial);
                if (same != null && !definition.adaptive()) {
                    problems.addSweepProblem("trial " + trial.index() + " (" + trial.name() + ") and trial " + same.index()
                            + " (" + same.name() + ") have the same configuration; a sweep trains each one once");
                }
                trials.add(trial);
            } catch (ConfigException e) {
                problems.add(i + 1, names.get(i), values.get(i), e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw problems.toException();
        }
        return trials;
    }

    private static Trial make(List<String> overrides, Source source, int index, TrialValues values, String name)
            throws ConfigException {
        List<String> trialOverrides = trialOverrides(overrides, values);
        Experiment experiment = source.experiment(trialOverrides);
        return new Trial(index, values.values(), trialOverrides, name, experiment, Hashes.of(experiment.resolvedYaml()));
    }

    private static String configurationHash(List<Trial> trials) {
        return Hashes.of(String.join("\n", trials.stream().map(Trial::trialId).distinct().toList()));
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

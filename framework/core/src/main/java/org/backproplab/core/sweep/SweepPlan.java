package org.backproplab.core.sweep;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.SweepDefinition;

/**
 * A sweep ready to run: its definition and its trials, each loaded and checked. A grid or random search knows
 * every trial up front; an adaptive sweep (TPE) proposes each from the results so far, so it knows only its
 * validation samples (each distribution at its bounds, each listed value), and makes a trial whenever one is
 * proposed.
 *
 * @param fileName the experiment file as the user named it
 * @param overrides the command line's {@code --set} overrides, applied to every trial
 * @param definition the {@code sweep:} and {@code objective:} sections
 * @param trials every trial, in expansion order, numbered from 1; empty for an adaptive sweep
 * @param varyingPaths the swept paths whose value differs between trials: the summary's columns
 * @param definitionHash a hash of {@link SweepDefinition#canonicalYaml()}
 * @param configurationHash a hash of every trial's id (an adaptive sweep: of its samples' ids): changes with
 *     anything else in the file or the overrides
 * @param notes things to tell the user before starting, e.g. that random search found fewer combinations
 * @param samples the trials checked before an adaptive sweep starts; the same as {@code trials} otherwise
 * @param maker makes trial N from its swept values, loaded and checked as the planner loads a trial
 */
public record SweepPlan(String fileName, List<String> overrides, SweepDefinition definition, List<Trial> trials,
        List<String> varyingPaths, String definitionHash, String configurationHash, List<String> notes,
        List<Trial> samples, TrialMaker maker) {

    /** Loads trial {@code index} with {@code values} as overrides. */
    @FunctionalInterface
    public interface TrialMaker {
        /**
         * @throws ConfigException when the values do not make a valid experiment
         */
        Trial make(int index, Map<String, Object> values) throws ConfigException;
    }

    public SweepPlan {
        overrides = List.copyOf(overrides);
        trials = List.copyOf(trials);
        varyingPaths = List.copyOf(varyingPaths);
        notes = List.copyOf(notes);
        samples = List.copyOf(samples);
        Objects.requireNonNull(maker, "maker");
        if (samples.isEmpty() || trials.isEmpty() && !definition.adaptive()) {
            throw new IllegalArgumentException("a sweep has at least one trial");
        }
    }

    /** The sweep's identity, tag {@code lab.sweep.id}: the same file and overrides give the same id. */
    public String sweepId() {
        return Hashes.of(definitionHash + "/" + configurationHash);
    }

    /** Whether trials are proposed as the sweep runs, rather than all known up front. */
    public boolean adaptive() {
        return definition.adaptive();
    }

    /** How many trials the sweep runs: every trial of a grid or random search, {@code sweep.trials} of TPE. */
    public int size() {
        return adaptive() ? definition.trials() : trials.size();
    }

    /** The first trial, or an adaptive sweep's first sample: what every trial shares (name, tracking). */
    public Trial first() {
        return samples.get(0);
    }

    /** The experiment's name, e.g. {@code lr-sweep}. */
    public String name() {
        return first().experiment().name();
    }

    /** The MLflow experiment of the parent run and every trial ({@code tracking.*} is never swept). */
    public String experimentName() {
        return first().experiment().tracking().experiment();
    }

    /** Trial {@code index}, from 1, of a sweep that knows its trials. */
    public Trial trial(int index) {
        if (index < 1 || index > trials.size()) {
            throw new IndexOutOfBoundsException("trial " + index + " of " + trials.size());
        }
        return trials.get(index - 1);
    }

    public SweepDefinition.Objective objective() {
        return definition.objective();
    }
}

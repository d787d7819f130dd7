package org.backproplab.core.sweep;

import java.util.List;
import org.backproplab.core.config.SweepDefinition;

/**
 * A sweep ready to run: its definition and every trial, each loaded and checked.
 *
 * @param fileName the experiment file as the user named it
 * @param overrides the command line's {@code --set} overrides, applied to every trial
 * @param definition the {@code sweep:} and {@code objective:} sections
 * @param trials every trial, in expansion order, numbered from 1
 * @param varyingPaths the swept paths whose value differs between trials: the summary's columns
 * @param definitionHash a hash of {@link SweepDefinition#canonicalYaml()}
 * @param configurationHash a hash of every trial's id: changes with anything else in the file or the overrides
 * @param notes things to tell the user before starting, e.g. that random search found fewer combinations
 */
public record SweepPlan(String fileName, List<String> overrides, SweepDefinition definition, List<Trial> trials,
        List<String> varyingPaths, String definitionHash, String configurationHash, List<String> notes) {

    public SweepPlan {
        overrides = List.copyOf(overrides);
        trials = List.copyOf(trials);
        varyingPaths = List.copyOf(varyingPaths);
        notes = List.copyOf(notes);
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("a sweep has at least one trial");
        }
    }

    /** The sweep's identity, tag {@code lab.sweep.id}: the same file and overrides give the same id. */
    public String sweepId() {
        return Hashes.of(definitionHash + "/" + configurationHash);
    }

    /** The experiment's name, e.g. {@code lr-sweep}. */
    public String name() {
        return trials.get(0).experiment().name();
    }

    /** The MLflow experiment of the parent run and every trial ({@code tracking.*} is never swept). */
    public String experimentName() {
        return trials.get(0).experiment().tracking().experiment();
    }

    /** Trial {@code index}, from 1. */
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

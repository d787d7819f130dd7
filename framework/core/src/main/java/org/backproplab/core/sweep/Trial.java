package org.backproplab.core.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.Experiment;

/**
 * One trial of a sweep: the experiment file loaded with the trial's values as {@code --set} overrides, so that
 * it is checked exactly like a single run.
 *
 * @param index 1-based, in expansion order (a grid's first parameter varies slowest)
 * @param values the swept values by path, in the order of {@code sweep.parameters}; a parameter scoped with
 *     {@code when:} that does not apply to this trial is absent
 * @param overrides what loads it, and re-runs it alone: the command line's overrides, then {@code sweep=null} and
 *     {@code objective=null}, then its values (shorter paths first, so a swept block comes before values in it)
 * @param name its distinguishing values, e.g. {@code lr=0.01 activation=relu}
 * @param experiment the experiment as loaded
 * @param trialId a hash of its resolved configuration ({@link Experiment#resolvedYaml()}): the same configuration
 *     has the same id in any sweep, which is how a resumed sweep recognises finished trials
 */
public record Trial(int index, Map<String, Object> values, List<String> overrides, String name, Experiment experiment,
        String trialId) {

    public Trial {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        overrides = List.copyOf(overrides);
    }
}

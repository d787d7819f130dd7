package org.backproplab.core.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Names trials by the values that tell them apart: {@code lr=0.01 activation=relu}. A parameter with the same
 * value in every trial is left out; keys are the last part of the path unless two swept paths share it.
 */
final class TrialNames {

    private TrialNames() {}

    /** The swept paths whose value (or absence) is not the same in every trial, in the given order. */
    static List<String> varying(List<TrialValues> trials, List<String> paths) {
        List<String> varying = new ArrayList<>();
        for (String path : paths) {
            long distinct = trials.stream().map(trial -> trial.values().containsKey(path)
                    ? ValueText.yaml(trial.values().get(path)) : "\u0000absent").distinct().count();
            if (distinct > 1) {
                varying.add(path);
            }
        }
        return varying;
    }

    /** One name per trial, unique; {@code trial N} when nothing varies. */
    static List<String> of(List<TrialValues> trials, List<String> paths) {
        List<String> varying = varying(trials, paths);
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < trials.size(); i++) {
            TrialValues trial = trials.get(i);
            List<String> parts = new ArrayList<>();
            for (String path : varying) {
                if (trial.values().containsKey(path)) {
                    parts.add(key(path, varying) + "=" + ValueText.label(trial.values().get(path)));
                }
            }
            String name = parts.isEmpty() ? "trial " + (i + 1) : String.join(" ", parts);
            if (!taken.add(name)) {
                name = name + " #" + (i + 1); // values that differ only beyond the rounding of their labels
                taken.add(name);
            }
            names.add(name);
        }
        return names;
    }

    /** The name of a trial of an adaptive sweep, by every value it has: {@code lr=0.0123 hidden=64}. */
    static String ofValues(java.util.Map<String, Object> values, List<String> paths) {
        List<String> parts = new ArrayList<>();
        values.forEach((path, value) -> parts.add(key(path, paths) + "=" + ValueText.label(value)));
        return String.join(" ", parts);
    }

    /** {@code optimizer.lr -> lr}, unless another varying path also ends in {@code lr}. */
    static String key(String path, List<String> paths) {
        String last = last(path);
        long sharing = paths.stream().filter(other -> Objects.equals(last(other), last)).count();
        return sharing > 1 ? path : last;
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}

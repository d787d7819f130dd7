package org.backproplab.core.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    /**
     * Short run names for MLflow's runs table, where long names are cut: {@code d10 sigmoid xavier}. A word value of
     * a parameter stands alone when no other varying parameter takes the same word; a number follows its key's
     * abbreviation ({@code d} for depth, {@code lr}); anything else is {@code key=value}. Unique, like {@link #of}.
     */
    static List<String> shortNames(List<Map<String, Object>> trials, List<String> paths) {
        List<TrialValues> values = trials.stream().map(trial -> new TrialValues(trial, Map.of())).toList();
        List<String> varying = varying(values, paths);
        Map<String, String> abbreviations = abbreviations(varying);
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < trials.size(); i++) {
            List<String> parts = new ArrayList<>();
            for (String path : varying) {
                if (trials.get(i).containsKey(path)) {
                    Object value = trials.get(i).get(path);
                    String label = ValueText.label(value);
                    if (value instanceof String && standsAlone(label, path, varying, trials)) {
                        parts.add(label);
                    } else if (value instanceof Number) {
                        parts.add(abbreviations.get(path) + label);
                    } else {
                        parts.add(abbreviations.get(path) + "=" + label);
                    }
                }
            }
            String name = parts.isEmpty() ? "trial " + (i + 1) : String.join(" ", parts);
            if (!taken.add(name)) {
                name = name + " #" + (i + 1);
                taken.add(name);
            }
            names.add(name);
        }
        return names;
    }

    /** Whether no other varying path takes {@code word} as a value, so the word alone says which parameter it is. */
    private static boolean standsAlone(String word, String path, List<String> varying, List<Map<String, Object>> trials) {
        return word.matches("[A-Za-z][\\w.-]*") && trials.stream().noneMatch(trial -> varying.stream()
                .anyMatch(other -> !other.equals(path) && word.equals(String.valueOf(trial.get(other)))));
    }

    /** The shortest prefix of each key that no other key starts with the same way: depth -> d, lr -> lr. */
    private static Map<String, String> abbreviations(List<String> varying) {
        Map<String, String> abbreviations = new java.util.LinkedHashMap<>();
        for (String path : varying) {
            String key = key(path, varying);
            String abbreviation = key;
            if (key.equals(last(path)) && key.length() > 2) {
                for (int length = 1; length < key.length(); length++) {
                    String prefix = key.substring(0, length);
                    if (varying.stream().filter(other -> !other.equals(path))
                            .noneMatch(other -> key(other, varying).startsWith(prefix))) {
                        abbreviation = prefix;
                        break;
                    }
                }
            }
            abbreviations.put(path, abbreviation);
        }
        return abbreviations;
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

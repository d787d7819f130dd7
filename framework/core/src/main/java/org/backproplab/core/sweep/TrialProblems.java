package org.backproplab.core.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ConfigProblem;
import org.backproplab.core.config.SourcePosition;
import org.backproplab.core.config.SweepDefinition;

/**
 * Gathers the problems of every trial into one report. A problem caused by a swept value points at that value in
 * the file (not at the pseudo-file of its {@code --set}); one that only some trials have names them; one that
 * every trial has is listed once, as for a single run.
 */
final class TrialProblems {

    private final String fileName;
    private final int trialCount;
    private final SweepDefinition definition;
    /** Each distinct problem, with the trials that have it ("trial 3: lr=0.1 momentum=0.9"). */
    private final Map<ConfigProblem, List<String>> trialsByProblem = new LinkedHashMap<>();
    private final List<ConfigProblem> sweepProblems = new ArrayList<>();

    TrialProblems(String fileName, int trialCount, SweepDefinition definition) {
        this.fileName = fileName;
        this.trialCount = trialCount;
        this.definition = definition;
    }

    /** The problems of loading trial {@code index}. */
    void add(int index, String name, TrialValues values, List<ConfigProblem> problems) {
        Map<String, String> sweptPathByOverride = new LinkedHashMap<>();
        values.values().forEach((path, value) -> sweptPathByOverride.put("--set " + ValueText.override(path, value), path));
        for (ConfigProblem problem : problems) {
            SourcePosition position = problem.position();
            String message = problem.message();
            String sweptPath = position == null ? null : sweptPathByOverride.get(position.file());
            if (sweptPath != null) {
                position = values.origins().get(sweptPath);
                message += scopingHint(problem, sweptPath);
            }
            trialsByProblem.computeIfAbsent(new ConfigProblem(position, problem.path(), message), key -> new ArrayList<>())
                    .add("trial " + index + ": " + name);
        }
    }

    /** A problem of the sweep as a whole, e.g. two trials with the same configuration. */
    void addSweepProblem(String message) {
        sweepProblems.add(new ConfigProblem(definition.position(), "sweep", message));
    }

    boolean isEmpty() {
        return trialsByProblem.isEmpty() && sweepProblems.isEmpty();
    }

    ConfigException toException() {
        List<ConfigProblem> problems = new ArrayList<>(sweepProblems);
        trialsByProblem.forEach((problem, trials) -> {
            String where;
            if (trials.size() == trialCount) {
                where = "";
            } else if (trials.size() == 1) {
                where = " (in " + trials.get(0) + ")";
            } else {
                where = " (in " + trials.size() + " of " + trialCount + " trials, e.g. " + trials.get(0) + ")";
            }
            problems.add(new ConfigProblem(problem.position(), problem.path(), problem.message() + where));
        });
        // The file first, in reading order, then the command line's overrides, then problems without a place.
        problems.sort(Comparator
                .comparingInt((ConfigProblem problem) -> problem.position() == null ? 2
                        : problem.position().file().equals(fileName) ? 0 : 1)
                .thenComparingInt(problem -> problem.position() == null ? 0 : problem.position().line())
                .thenComparingInt(problem -> problem.position() == null ? 0 : problem.position().column()));
        return new ConfigException(fileName, problems);
    }

    /**
     * For a parameter that exists for some of a swept component's types only, e.g. momentum in
     * {@code optimizer.type: [sgd, adam]}: how to sweep it where it belongs.
     */
    private String scopingHint(ConfigProblem problem, String sweptPath) {
        if (!problem.message().startsWith("unknown parameter of") || sweptPath.indexOf('.') < 0) {
            return "";
        }
        String typePath = sweptPath.substring(0, sweptPath.indexOf('.')) + ".type";
        SweepDefinition.Parameter types = definition.parameter(typePath);
        if (types == null || !types.isChoice()) {
            return "";
        }
        return "; to sweep it only where it exists, add when: {" + typePath + ": [...]} to " + sweptPath
                + ", e.g. {values: [...], when: {" + typePath + ": " + ValueText.label(types.values().get(0).value()) + "}}";
    }
}

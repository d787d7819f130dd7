package org.backproplab.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Gathers every problem of one load, so that all of them are reported at once. */
final class ProblemCollector {

    private final List<ConfigProblem> problems = new ArrayList<>();

    void add(SourcePosition position, String path, String message) {
        ConfigProblem problem = new ConfigProblem(position, path, message);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * The problems in reading order: file by file in the given order (the experiment file, then the
     * overrides), each by line and column, then those without a position. Ties keep the order they
     * were found in.
     */
    List<ConfigProblem> inReadingOrder(List<String> files) {
        Comparator<ConfigProblem> order = Comparator
                .comparingInt((ConfigProblem p) -> fileIndex(p, files))
                .thenComparingInt(p -> p.position() == null ? 0 : p.position().line())
                .thenComparingInt(p -> p.position() == null ? 0 : p.position().column());
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(order);
        return sorted;
    }

    private static int fileIndex(ConfigProblem problem, List<String> files) {
        if (problem.position() == null) {
            return Integer.MAX_VALUE;
        }
        int index = files.indexOf(problem.position().file());
        return index < 0 ? files.size() : index;
    }

    /** A ConfigException named after the first file, with the problems in reading order. */
    ConfigException toException(List<String> files) {
        return new ConfigException(files.get(0), inReadingOrder(files));
    }
}

package org.backproplab.core.config;

/** A component's parameter record with every parameter at its default, for components the file does not name. */
public final class RecordDefaults {

    private RecordDefaults() {}

    /**
     * The record bound from an empty block.
     *
     * @throws IllegalArgumentException when a parameter has no default, so the component cannot be used unnamed
     */
    public static <R extends Record> R of(Class<R> type) {
        ProblemCollector problems = new ProblemCollector();
        R record = new RecordBinder(problems).bind(type, new ConfigMap(null), "", "");
        if (record == null || !problems.isEmpty()) {
            throw new IllegalArgumentException(type.getName() + " has parameters without defaults");
        }
        return record;
    }
}

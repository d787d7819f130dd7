package org.backproplab.core.config;

import java.util.List;
import java.util.Objects;

/**
 * An experiment file that cannot be used, with every problem found in it, so that the user can fix
 * them all in one go. The message is meant to be printed as is, without a stack trace.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final transient List<ConfigProblem> problems;

    /**
     * @param file the experiment file as the user named it
     * @param problems at least one problem
     */
    public ConfigException(String file, List<ConfigProblem> problems) {
        super();
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.file = Objects.requireNonNull(file, "file");
        this.problems = List.copyOf(problems);
    }

    /** The experiment file as the user named it. */
    public String file() {
        return file;
    }

    /** Every problem, in file order. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** {@code "2 problems in experiments/x.yaml:"} and then one indented line per problem. */
    @Override
    public String getMessage() {
        StringBuilder text = new StringBuilder()
                .append(problems.size())
                .append(problems.size() == 1 ? " problem in " : " problems in ")
                .append(file)
                .append(':');
        for (ConfigProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}

package org.backproplab.core.search;

import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One dimension of a search space, in the sampler's internal representation: a float (on a linear or log
 * scale), an integer, or a categorical index, each held as a double.
 *
 * @param name its key in a proposal
 * @param kind how it is sampled
 * @param low the smallest value (included); 0 for a categorical
 * @param high the largest value (included); the number of choices minus one for a categorical
 * @param applies whether it is part of a trial, given the values of the parameters before it (a {@code when:}
 *     condition); always true for an unconditional parameter
 * @param conditional whether {@code applies} can be false: such a parameter is sampled on its own, from the trials
 *     that have it, as Optuna's multivariate TPE does for a dynamic search space
 */
public record SearchParameter(String name, Kind kind, double low, double high, Predicate<Map<String, Double>> applies,
        boolean conditional) {

    /** How a parameter is sampled. */
    public enum Kind {
        FLOAT,
        LOG_FLOAT,
        INT,
        CATEGORICAL
    }

    public SearchParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(applies, "applies");
        if (!(low <= high) || kind == Kind.LOG_FLOAT && low <= 0) {
            throw new IllegalArgumentException(name + ": bad bounds " + low + ".." + high + " for " + kind);
        }
    }

    /** An unconditional float, integer or log-scale parameter. */
    public static SearchParameter of(String name, Kind kind, double low, double high) {
        return new SearchParameter(name, kind, low, high, values -> true, false);
    }

    /** An unconditional categorical parameter of {@code choices} choices. */
    public static SearchParameter categorical(String name, int choices) {
        return new SearchParameter(name, Kind.CATEGORICAL, 0, choices - 1, values -> true, false);
    }

    /** The number of choices of a categorical parameter. */
    public int choices() {
        return (int) high + 1;
    }
}

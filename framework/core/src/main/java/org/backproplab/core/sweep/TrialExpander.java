package org.backproplab.core.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.config.SweepDefinition.Parameter;
import org.backproplab.core.config.SweepDefinition.Range;
import org.backproplab.core.config.SweepDefinition.Value;

/**
 * Turns a sweep definition into the swept values of each trial: every combination for a grid, {@code trials}
 * distinct draws for random search. Deterministic: the same definition (and seed) gives the same trials in the
 * same order, in any JVM, which is what lets a worker process or a resumed sweep find trial N again.
 */
final class TrialExpander {

    /** Drawn numbers are rounded to this many significant digits: readable in run names and MLflow's tables. */
    static final int SIGNIFICANT_DIGITS = 4;
    /** Random search gives up looking for new distinct combinations after this many draws per trial. */
    private static final int DRAWS_PER_TRIAL = 100;

    /** The trials' values, and a note when random search found fewer distinct combinations than asked for. */
    record Expansion(List<TrialValues> trials, String note) {}

    /** Raised when a grid grows beyond {@code limit} trials; expansion stops there. */
    static final class TooManyTrials extends Exception {
        private static final long serialVersionUID = 1L;

        TooManyTrials(String message) {
            super(message);
        }
    }

    private TrialExpander() {}

    static Expansion expand(SweepDefinition definition, int limit) throws TooManyTrials {
        return switch (definition.method()) {
            case GRID -> new Expansion(grid(definition.parameters(), limit), null);
            case RANDOM -> random(definition);
            case TPE -> throw new IllegalArgumentException("TPE proposes its trials as the sweep runs");
        };
    }

    /** Every combination, the first parameter varying slowest; a {@code when:} parameter multiplies only where it applies. */
    private static List<TrialValues> grid(List<Parameter> parameters, int limit) throws TooManyTrials {
        List<TrialValues> trials = List.of(TrialValues.none());
        long product = 1;
        for (Parameter parameter : parameters) {
            product *= parameter.values().size();
            List<TrialValues> next = new ArrayList<>();
            for (TrialValues partial : trials) {
                if (!applies(parameter, partial)) {
                    next.add(partial);
                    continue;
                }
                for (Value value : parameter.values()) {
                    next.add(partial.with(parameter.path(), value.value(), value.position()));
                }
                if (next.size() > limit) {
                    throw new TooManyTrials("the grid has " + (product > limit ? "about " + product : "more than " + limit)
                            + " trials; the limit is " + limit + " (list fewer values, or use method: random with trials: N)");
                }
            }
            trials = next;
        }
        return trials;
    }

    /** {@code trials} distinct draws from a {@link Random} seeded with the sweep's seed. */
    private static Expansion random(SweepDefinition definition) {
        Random random = new Random(definition.seed());
        List<TrialValues> trials = new ArrayList<>();
        Set<Map<String, Object>> seen = new HashSet<>();
        int draws = 0;
        while (trials.size() < definition.trials() && draws < definition.trials() * DRAWS_PER_TRIAL) {
            draws++;
            TrialValues trial = TrialValues.none();
            for (Parameter parameter : definition.parameters()) {
                if (!applies(parameter, trial)) {
                    continue;
                }
                if (parameter.isChoice()) {
                    Value value = parameter.values().get(random.nextInt(parameter.values().size()));
                    trial = trial.with(parameter.path(), value.value(), value.position());
                } else {
                    trial = trial.with(parameter.path(), draw(parameter.range(), random), parameter.range().position());
                }
            }
            // The same combination twice would train the same model twice: draw again instead.
            if (seen.add(trial.values())) {
                trials.add(trial);
            }
        }
        String note = trials.size() < definition.trials()
                ? "random search found only " + trials.size() + " distinct combinations of the swept values; running"
                        + " those instead of " + definition.trials()
                : null;
        return new Expansion(trials, note);
    }

    /** One number from {@code range}: a Long for int_uniform, else a Double rounded to a few significant digits. */
    static Object draw(Range range, Random random) {
        double min = range.min();
        double max = range.max();
        return switch (range.distribution()) {
            case INT_UNIFORM -> (long) min + random.nextLong((long) max - (long) min + 1);
            case UNIFORM -> rounded(min + random.nextDouble() * (max - min), min, max);
            case LOG_UNIFORM -> rounded(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))),
                    min, max);
        };
    }

    static double rounded(double value, double min, double max) {
        if (value == 0 || !Double.isFinite(value)) {
            return value;
        }
        double shortened = new BigDecimal(value).round(new MathContext(SIGNIFICANT_DIGITS)).doubleValue();
        return Math.min(max, Math.max(min, shortened)); // rounding must not step over a bound
    }

    /** Whether every {@code when:} condition of {@code parameter} holds for the values drawn so far. */
    private static boolean applies(Parameter parameter, TrialValues trial) {
        for (Map.Entry<String, List<Object>> condition : parameter.when().entrySet()) {
            if (!trial.values().containsKey(condition.getKey())) {
                return false;
            }
            Object value = trial.values().get(condition.getKey());
            if (condition.getValue().stream().noneMatch(accepted -> SweepDefinition.sameValue(accepted, value))) {
                return false;
            }
        }
        return true;
    }
}

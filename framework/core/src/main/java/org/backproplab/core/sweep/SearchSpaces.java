package org.backproplab.core.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.config.SweepDefinition.Parameter;
import org.backproplab.core.config.SweepDefinition.Value;
import org.backproplab.core.search.SearchParameter;

/**
 * A sweep's parameters as a sampler's search space, and a trial's values both ways: a listed parameter is a
 * categorical one (its values' order), a distribution a float, log-scale float or integer; a {@code when:} condition
 * holds on the values of the parameters before it. Drawn floats are rounded as random search rounds them, and
 * the sampler is told the values as trained.
 */
final class SearchSpaces {

    private SearchSpaces() {}

    static List<SearchParameter> of(SweepDefinition definition) {
        List<SearchParameter> space = new ArrayList<>();
        for (Parameter parameter : definition.parameters()) {
            SearchParameter.Kind kind;
            double low;
            double high;
            if (parameter.isChoice()) {
                kind = SearchParameter.Kind.CATEGORICAL;
                low = 0;
                high = parameter.values().size() - 1;
            } else {
                kind = switch (parameter.range().distribution()) {
                    case UNIFORM -> SearchParameter.Kind.FLOAT;
                    case LOG_UNIFORM -> SearchParameter.Kind.LOG_FLOAT;
                    case INT_UNIFORM -> SearchParameter.Kind.INT;
                };
                low = parameter.range().min();
                high = parameter.range().max();
            }
            space.add(new SearchParameter(parameter.path(), kind, low, high, condition(definition, parameter),
                    !parameter.when().isEmpty()));
        }
        return space;
    }

    /** Whether {@code parameter}'s {@code when:} holds for the internal values drawn so far. */
    private static Predicate<Map<String, Double>> condition(SweepDefinition definition, Parameter parameter) {
        return internal -> {
            for (Map.Entry<String, List<Object>> when : parameter.when().entrySet()) {
                Double drawn = internal.get(when.getKey());
                if (drawn == null) {
                    return false;
                }
                Object value = external(definition.parameter(when.getKey()), drawn);
                if (when.getValue().stream().noneMatch(accepted -> SweepDefinition.sameValue(accepted, value))) {
                    return false;
                }
            }
            return true;
        };
    }

    /** A proposal as a trial's values, in the order of {@code sweep.parameters}. */
    static Map<String, Object> external(SweepDefinition definition, Map<String, Double> internal) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter parameter : definition.parameters()) {
            Double value = internal.get(parameter.path());
            if (value != null) {
                values.put(parameter.path(), external(parameter, value));
            }
        }
        return values;
    }

    private static Object external(Parameter parameter, double value) {
        if (parameter.isChoice()) {
            return parameter.values().get((int) value).value();
        }
        return switch (parameter.range().distribution()) {
            case INT_UNIFORM -> (long) value;
            case UNIFORM, LOG_UNIFORM -> TrialExpander.rounded(value, parameter.range().min(), parameter.range().max());
        };
    }

    /**
     * A trial's values in the sampler's representation; a value the definition no longer has (not expected: the
     * sweep's identity covers its definition) is left out.
     */
    static Map<String, Double> internal(SweepDefinition definition, Map<String, Object> values) {
        Map<String, Double> internal = new LinkedHashMap<>();
        for (Parameter parameter : definition.parameters()) {
            Object value = values.get(parameter.path());
            if (value == null && !values.containsKey(parameter.path())) {
                continue;
            }
            if (parameter.isChoice()) {
                for (int i = 0; i < parameter.values().size(); i++) {
                    if (SweepDefinition.sameValue(parameter.values().get(i).value(), value)) {
                        internal.put(parameter.path(), (double) i);
                    }
                }
            } else if (value instanceof Number number) {
                internal.put(parameter.path(), number.doubleValue());
            }
        }
        return internal;
    }

    /**
     * What an adaptive sweep checks before it starts: every parameter at its lower bound (first listed value),
     * at its upper bound (last listed value), and each listed value with the others at their lower bounds; only
     * the parameters whose conditions hold, so that each conditional branch is checked where a listed value opens it.
     */
    static List<TrialValues> samples(SweepDefinition definition) {
        List<SearchParameter> space = of(definition);
        List<Map<String, Double>> corners = new ArrayList<>();
        corners.add(corner(space, definition, Map.of(), false));
        corners.add(corner(space, definition, Map.of(), true));
        for (Parameter parameter : definition.parameters()) {
            for (int i = 1; parameter.isChoice() && i < parameter.values().size() - 1; i++) {
                corners.add(corner(space, definition, Map.of(parameter.path(), (double) i), false));
            }
        }
        List<TrialValues> samples = new ArrayList<>();
        List<Map<String, Object>> seen = new ArrayList<>();
        for (Map<String, Double> corner : corners) {
            Map<String, Object> values = external(definition, corner);
            if (!seen.contains(values)) {
                seen.add(values);
                samples.add(values(definition, values));
            }
        }
        return samples;
    }

    private static Map<String, Double> corner(List<SearchParameter> space, SweepDefinition definition,
            Map<String, Double> fixed, boolean upper) {
        Map<String, Double> internal = new LinkedHashMap<>();
        for (SearchParameter parameter : space) {
            if (parameter.applies().test(internal)) {
                internal.put(parameter.name(), fixed.getOrDefault(parameter.name(), upper ? parameter.high() : parameter.low()));
            }
        }
        return internal;
    }

    /** Values with the origin of each in the file: its listed value, or its distribution. */
    static TrialValues values(SweepDefinition definition, Map<String, Object> values) {
        TrialValues trial = TrialValues.none();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Parameter parameter = definition.parameter(entry.getKey());
            var origin = parameter == null ? null : parameter.isChoice()
                    ? parameter.values().stream().filter(value -> SweepDefinition.sameValue(value.value(), entry.getValue()))
                            .map(Value::position).findFirst().orElse(parameter.position())
                    : parameter.range().position();
            trial = trial.with(entry.getKey(), entry.getValue(), origin);
        }
        return trial;
    }
}

package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parameters that tell a report's trials apart (those whose value is not the same in every trial), and
 * how to name a trial or a group of trials by them.
 */
final class VaryingParams {

    /** The sweep's usual axes come first, in this order; any other varying parameter follows by name. */
    private static final List<String> PREFERRED_ORDER =
            List.of(MetricKeys.DEPTH, MetricKeys.ACTIVATION, MetricKeys.INIT, MetricKeys.LEARNING_RATE);

    /** Parameters whose values name themselves ("sigmoid", "he"): shown without their key. */
    private static final Set<String> SELF_DESCRIBING = Set.of(MetricKeys.ACTIVATION, MetricKeys.INIT);

    private static final String MISSING = "none";

    private final List<String> keys;
    private final SortedMap<String, String> fixed;

    private VaryingParams(List<String> keys, SortedMap<String, String> fixed) {
        this.keys = keys;
        this.fixed = fixed;
    }

    static VaryingParams of(Collection<TrialData> trials) {
        Set<String> allKeys = new TreeSet<>();
        trials.forEach(trial -> allKeys.addAll(trial.params().keySet()));
        List<String> varying = new ArrayList<>();
        SortedMap<String, String> fixed = new TreeMap<>();
        for (String key : allKeys) {
            long distinct = trials.stream().map(trial -> trial.param(key)).distinct().count();
            if (distinct > 1) {
                varying.add(key);
            } else {
                fixed.put(key, trials.iterator().next().param(key));
            }
        }
        varying.sort(Comparator.comparingInt(VaryingParams::preferredRank).thenComparing(Comparator.naturalOrder()));
        return new VaryingParams(List.copyOf(varying), fixed);
    }

    /** The varying parameters, the sweep's usual axes first. */
    List<String> keys() {
        return keys;
    }

    /** The parameters every trial has with the same value. */
    Map<String, String> fixed() {
        return fixed;
    }

    boolean varies(String key) {
        return keys.contains(key);
    }

    /** The varying parameters without {@code excluded}. */
    List<String> keysExcept(Collection<String> excluded) {
        return keys.stream().filter(key -> !excluded.contains(key)).toList();
    }

    /** The values of {@code keysToShow} in {@code trial}, missing ones as "none". */
    static List<String> values(TrialData trial, List<String> keysToShow) {
        return keysToShow.stream().map(key -> Objects.requireNonNullElse(trial.param(key), MISSING)).toList();
    }

    /**
     * A short name for a trial by {@code keysToShow}: {@code "sigmoid / xavier"}, {@code "depth=4 / relu / he"},
     * {@code "lr=0.1"}. Falls back to the trial's name when there is nothing to show.
     */
    static String describe(TrialData trial, List<String> keysToShow) {
        if (keysToShow.isEmpty()) {
            return trial.name();
        }
        List<String> parts = new ArrayList<>();
        for (String key : keysToShow) {
            parts.add(describe(key, trial.param(key)));
        }
        return String.join(" / ", parts);
    }

    /** {@link #describe(String, String)} of each key with its value. */
    static List<String> describeAll(List<String> keys, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            parts.add(describe(keys.get(i), values.get(i)));
        }
        return parts;
    }

    /** One parameter value as a label: {@code sigmoid}, {@code depth=4}, {@code lr=0.1}. */
    static String describe(String key, String value) {
        String shown = Objects.requireNonNullElse(value, MISSING);
        return SELF_DESCRIBING.contains(key) ? shown : shortName(key) + "=" + shown;
    }

    /** The column heading for a parameter: its last path segment, {@code model.depth -> depth}. */
    static String shortName(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Orders trials by {@code keysToOrder} (numbers by value, text alphabetically), then by name. */
    static Comparator<TrialData> order(List<String> keysToOrder) {
        Comparator<TrialData> order = (a, b) -> 0;
        for (String key : keysToOrder) {
            order = order.thenComparing(trial -> trial.param(key), ParamValueOrder.INSTANCE);
        }
        return order.thenComparing(TrialData::name);
    }

    private static int preferredRank(String key) {
        int rank = PREFERRED_ORDER.indexOf(key);
        return rank < 0 ? PREFERRED_ORDER.size() : rank;
    }

    /** Numbers before text, numbers by value, missing values last. */
    enum ParamValueOrder implements Comparator<String> {
        INSTANCE;

        @Override
        public int compare(String a, String b) {
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : 1) : -1;
            }
            Double x = parse(a);
            Double y = parse(b);
            if (x != null && y != null) {
                int byValue = Double.compare(x, y);
                return byValue != 0 ? byValue : a.compareTo(b);
            }
            if (x != null || y != null) {
                return x != null ? -1 : 1;
            }
            return a.compareTo(b);
        }

        static Double parse(String value) {
            try {
                return Double.valueOf(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}

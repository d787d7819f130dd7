package org.backproplab.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code sweep:} and {@code objective:} sections of an experiment file, checked: which values every swept
 * parameter takes and which metric ranks the trials. Values keep their positions in the file, so that a problem
 * of one trial can point at the value that caused it.
 *
 * @param method grid (every combination), random (sampled) or tpe (proposed from the results so far)
 * @param trials random search and TPE: how many trials to run; 0 for a grid
 * @param seed random search and TPE: the sampler's seed (the experiment's seed unless given); 0 for a grid
 * @param parameters the swept parameters in file order
 * @param objective the metric that ranks the trials
 * @param position where the {@code sweep:} section starts
 * @param startupTrials TPE: the random trials before the model takes over ({@code sweep.startup_trials}); 0 otherwise
 * @param pruner how trials are stopped early ({@code sweep.pruner}); {@code null} for none
 * @param executor {@code sweep.executor}: where the trials run; {@code null} when the file does not say
 */
public record SweepDefinition(Method method, int trials, long seed, List<Parameter> parameters, Objective objective,
        SourcePosition position, int startupTrials, PrunerSettings pruner, Executor executor) {

    /** A sweep without TPE's settings, a pruner or an executor. */
    public SweepDefinition(Method method, int trials, long seed, List<Parameter> parameters, Objective objective,
            SourcePosition position) {
        this(method, trials, seed, parameters, objective, position, 0, null, null);
    }

    /** More trials than this is a typo (a grid of ten lists) rather than a plan. */
    public static final int MAX_TRIALS = 1000;

    /** How trials are chosen. */
    public enum Method {
        /** Every combination of the listed values. */
        GRID,
        /** {@code trials} combinations, each value drawn independently. */
        RANDOM,
        /** {@code trials} trials, each proposed by the Tree-structured Parzen Estimator from the trials before it. */
        TPE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How random search draws a number between {@code min} and {@code max} (both included). */
    public enum Distribution {
        UNIFORM,
        /** Uniform in log space: as many draws between 1e-4 and 1e-3 as between 0.1 and 1. */
        LOG_UNIFORM,
        INT_UNIFORM;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One swept parameter: either a list of values (a grid's axis, or random search's uniform choice) or a
     * distribution (random search only).
     *
     * @param path the dotted path it overrides, e.g. {@code optimizer.lr}
     * @param position where its key is written
     * @param values the listed values as plain YAML values; empty when {@code range} is given
     * @param range the distribution to draw from; {@code null} when values are listed
     * @param when the parameter applies only to trials whose swept values match: path to the accepted values;
     *     empty means every trial
     */
    public record Parameter(String path, SourcePosition position, List<Value> values, Range range,
            Map<String, List<Object>> when) {

        public Parameter {
            Objects.requireNonNull(path, "path");
            values = List.copyOf(values);
            when = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(when));
        }

        /** Whether the values are listed rather than drawn from a distribution. */
        public boolean isChoice() {
            return range == null;
        }
    }

    /**
     * One listed value.
     *
     * @param value String, Long, Double, Boolean, null, List or Map, as the file has it
     * @param position where it is written
     */
    public record Value(Object value, SourcePosition position) {}

    /**
     * {@code sweep.executor}: {@code spark}, or {@code {type: spark, master: URL, conf: {spark.key: value}}}. Where
     * trials run never changes their results, so it is no part of {@link #canonicalYaml()}: a sweep started in
     * this process can be resumed on a cluster.
     *
     * @param type the executor's name, e.g. {@code spark} or {@code local}
     * @param master the cluster's address; {@code null} when not given
     * @param conf settings for the executor, e.g. Spark's {@code spark.executor.memory}
     * @param position where it is written
     */
    public record Executor(String type, String master, Map<String, String> conf, SourcePosition position) {

        /** The executor that keeps the trials on this machine, the default. */
        public static final String LOCAL = "local";

        public Executor {
            Objects.requireNonNull(type, "type");
            conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        }
    }

    /**
     * A distribution to draw from.
     *
     * @param position where the distribution's mapping starts
     */
    public record Range(Distribution distribution, double min, double max, SourcePosition position) {}

    /**
     * The metric that ranks the trials.
     *
     * @param metric e.g. {@code eval/accuracy}
     * @param mode {@code max} or {@code min}
     * @param stated whether the file names it ({@code objective:}), rather than the default {@code train/loss}, min
     */
    public record Objective(String metric, String mode, boolean stated) {

        public static final String MAX = "max";
        public static final String MIN = "min";

        /** Whether {@code candidate} is better than {@code incumbent} under this objective. */
        public boolean isBetter(double candidate, double incumbent) {
            return MAX.equals(mode) ? candidate > incumbent : candidate < incumbent;
        }
    }

    /**
     * {@code sweep.pruner}: a trial reports its objective at every evaluation and stops when the pruner says so.
     *
     * @param type median (Optuna's MedianPruner) or asha (asynchronous successive halving, as Ray Tune's)
     * @param startupTrials median: trials to complete before any is pruned
     * @param warmupSteps median: steps before a trial can be pruned
     * @param intervalSteps median: steps between two pruning checks of a trial
     * @param minSteps asha: the first rung, in optimizer steps (Ray's grace period)
     * @param reductionFactor asha: each rung keeps 1 trial in this many
     * @param maxSteps asha: no rung beyond this step; 0 for none
     * @param position where {@code sweep.pruner} is written
     */
    public record PrunerSettings(PrunerType type, int startupTrials, long warmupSteps, long intervalSteps, long minSteps,
            int reductionFactor, long maxSteps, SourcePosition position) {

        /** E.g. {@code asha(min_steps=100, reduction_factor=3, max_steps=0)}. */
        public String canonicalText() {
            Map<String, Object> settings = canonical();
            Object kind = settings.remove("type");
            StringBuilder text = new StringBuilder().append(kind).append('(');
            settings.forEach((key, value) -> text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ")
                    .append(key).append('=').append(value));
            return text.append(')').toString();
        }

        /** The settings' canonical form, for the sweep's identity. */
        Map<String, Object> canonical() {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("type", type.key());
            if (type == PrunerType.MEDIAN) {
                settings.put("n_startup_trials", (long) startupTrials);
                settings.put("n_warmup_steps", warmupSteps);
                settings.put("interval_steps", intervalSteps);
            } else {
                settings.put("min_steps", minSteps);
                settings.put("reduction_factor", (long) reductionFactor);
                settings.put("max_steps", maxSteps);
            }
            return settings;
        }
    }

    /** The pruners there are. */
    public enum PrunerType {
        MEDIAN,
        ASHA;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether trials are proposed one by one from the results so far, rather than all known up front. */
    public boolean adaptive() {
        return method == Method.TPE;
    }

    public SweepDefinition {
        Objects.requireNonNull(method, "method");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(objective, "objective");
    }

    /** YAML equality of plain values, with 1 and 1.0 the same number: how {@code when:} matches values. */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }

    /** The parameter at {@code path}, or {@code null}. */
    public Parameter parameter(String path) {
        return parameters.stream().filter(parameter -> parameter.path().equals(path)).findFirst().orElse(null);
    }

    /**
     * The definition as YAML in a fixed form: the same definition gives the same text, whatever the file's
     * layout, comments or positions. Identifies a sweep when resuming it, and shows what changed.
     */
    public String canonicalYaml() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("method", method.key());
        if (method != Method.GRID) {
            document.put("trials", (long) trials);
            document.put("seed", seed);
        }
        if (method == Method.TPE) {
            document.put("startup_trials", (long) startupTrials);
        }
        if (pruner != null) {
            document.put("pruner", pruner.canonical());
        }
        Map<String, Object> swept = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            Map<String, Object> domain = new LinkedHashMap<>();
            if (parameter.isChoice()) {
                domain.put("values", parameter.values().stream().map(Value::value).toList());
            } else {
                domain.put("distribution", parameter.range().distribution().key());
                domain.put("min", parameter.range().min());
                domain.put("max", parameter.range().max());
            }
            if (!parameter.when().isEmpty()) {
                domain.put("when", parameter.when());
            }
            swept.put(parameter.path(), domain);
        }
        document.put("parameters", swept);
        Map<String, Object> ranking = new LinkedHashMap<>(); // Map.of would order its keys differently per JVM
        ranking.put("metric", objective.metric());
        ranking.put("mode", objective.mode());
        document.put("objective", ranking);
        return ResolvedDocument.toYaml(document);
    }
}

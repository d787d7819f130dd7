package org.backproplab.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.backproplab.core.config.SweepDefinition.Distribution;
import org.backproplab.core.config.SweepDefinition.Method;
import org.backproplab.core.config.SweepDefinition.Objective;
import org.backproplab.core.config.SweepDefinition.Parameter;
import org.backproplab.core.config.SweepDefinition.Range;
import org.backproplab.core.config.SweepDefinition.Value;

/**
 * Reads and checks the {@code sweep:} and {@code objective:} sections, reporting every problem at its position.
 * Whether a swept path exists for the component it lands in is checked later, per trial, by binding the trial.
 */
final class SweepDefinitionReader {

    private static final int MAX_TRIALS = SweepDefinition.MAX_TRIALS;

    static final String DEFAULT_OBJECTIVE_METRIC = "train/loss";

    // The lists below are the one source of the sweep's vocabulary: ExperimentSchema types sweep: and objective:
    // from them too, so a method or key added here is known to editors as well.
    static final List<String> SWEEP_KEYS = List.of("method", "trials", "seed", "parameters", "startup_trials",
            "pruner", "executor");
    static final List<String> PRUNER_TYPES = List.of("median", "asha");
    static final List<String> MEDIAN_KEYS = List.of("type", "n_startup_trials", "n_warmup_steps", "interval_steps");
    static final List<String> ASHA_KEYS = List.of("type", "min_steps", "reduction_factor", "max_steps");
    static final List<String> EXECUTOR_KEYS = List.of("type", "master", "conf");
    /** An executor's name: a word, since it is looked up among the installed executors by name. */
    static final Pattern EXECUTOR_NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    static final List<String> DOMAIN_KEYS = List.of("values", "distribution", "min", "max", "when");
    static final List<String> OBJECTIVE_KEYS = List.of("metric", "mode");
    static final List<String> METHODS = List.of("grid", "random", "tpe");
    static final List<String> DISTRIBUTIONS = List.of("uniform", "log_uniform", "int_uniform");
    static final List<String> MODES = List.of(Objective.MAX, Objective.MIN);
    /** Sections that name or describe the experiment, or drive the sweep itself: the same in every trial. */
    private static final Set<String> NOT_SWEPT = Set.of("name", "description", "sweep", "objective", "tracking");
    /** What MLflow accepts as a metric name. */
    static final Pattern METRIC_NAME = Pattern.compile("[/\\w.\\- :]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final long DEFAULT_SEED = 42;
    /** Optuna's n_startup_trials. */
    private static final int DEFAULT_STARTUP_TRIALS = 10;

    private final ProblemCollector problems;

    private SweepDefinitionReader(ProblemCollector problems) {
        this.problems = problems;
    }

    /**
     * The sweep of a document that has a {@code sweep:} mapping.
     *
     * @return the definition, or {@code null} when anything was wrong (and reported)
     */
    static SweepDefinition read(ConfigMap root, ProblemCollector problems) {
        return new SweepDefinitionReader(problems).read(root);
    }

    /** The raw keys under {@code sweep.parameters}, whatever their values: the paths the sweep overrides. */
    static List<String> sweptPaths(ConfigMap root) {
        if (root.get("sweep") instanceof ConfigMap sweep && sweep.get("parameters") instanceof ConfigMap parameters) {
            return List.copyOf(parameters.keys());
        }
        return List.of();
    }

    private SweepDefinition read(ConfigMap root) {
        int problemsBefore = problems.count();
        ConfigNode sweepNode = root.get("sweep");
        if (!(sweepNode instanceof ConfigMap sweep)) {
            problems.add(sweepNode.position(), "sweep", "must be a mapping with method and parameters, e.g. "
                    + "{method: grid, parameters: {optimizer.lr: [0.01, 0.1]}}, got " + sweepNode.describe());
            objective(root);
            return null;
        }
        reportUnknownKeys(sweep, "sweep", SWEEP_KEYS, "unknown key of sweep");
        Method method = method(sweep);
        int trials = 0;
        long seed = 0;
        if (method == Method.RANDOM || method == Method.TPE) {
            trials = trials(sweep, method);
            seed = seed(sweep, root);
        } else if (method == Method.GRID) {
            for (String randomOnly : List.of("trials", "seed")) {
                ConfigMap.Entry entry = sweep.entry(randomOnly);
                if (entry != null) {
                    problems.add(entry.keyPosition(), "sweep." + randomOnly, "applies to method: random or tpe only;"
                            + " a grid runs every combination of the listed values");
                }
            }
        }
        int startupTrials = startupTrials(sweep, method);
        SweepDefinition.PrunerSettings pruner = pruner(sweep);
        List<Parameter> parameters = parameters(sweep, method);
        SweepDefinition.Executor executor = executor(sweep);
        Objective objective = objective(root);
        if (problems.count() > problemsBefore) {
            return null;
        }
        return new SweepDefinition(method, trials, seed, parameters, objective, sweep.position(), startupTrials, pruner,
                executor);
    }

    /** TPE's random start-up trials: {@code sweep.startup_trials}, else Optuna's 10. */
    private int startupTrials(ConfigMap sweep, Method method) {
        ConfigMap.Entry entry = sweep.entry("startup_trials");
        if (method != Method.TPE) {
            if (entry != null && method != null) {
                problems.add(entry.keyPosition(), "sweep.startup_trials", "applies to method: tpe only");
            }
            return 0;
        }
        if (entry == null || isAbsent(entry.value())) {
            return DEFAULT_STARTUP_TRIALS;
        }
        Long value = integer(entry.value());
        if (value == null || value < 0 || value > MAX_TRIALS) {
            problems.add(entry.value().position(), "sweep.startup_trials", "must be an integer from 0 to " + MAX_TRIALS
                    + " (random trials before TPE models the results), got " + entry.value().describe());
            return 0;
        }
        return value.intValue();
    }

    /** {@code sweep.pruner: {type: median | asha, ...}}, or {@code null} when absent. */
    private SweepDefinition.PrunerSettings pruner(ConfigMap sweep) {
        ConfigNode node = sweep.get("pruner");
        if (isAbsent(node)) {
            return null;
        }
        String example = " e.g. {type: asha, min_steps: 100, reduction_factor: 3} or {type: median, n_startup_trials: 5}";
        if (!(node instanceof ConfigMap pruner)) {
            problems.add(node.position(), "sweep.pruner", "must be a mapping," + example + ", got " + node.describe());
            return null;
        }
        ConfigNode typeNode = pruner.get("type");
        String type = typeNode instanceof ConfigScalar scalar && !scalar.isNull() ? scalar.text().toLowerCase(Locale.ROOT) : null;
        if (type == null || !PRUNER_TYPES.contains(type)) {
            problems.add(typeNode == null ? pruner.position() : typeNode.position(), "sweep.pruner.type",
                    (typeNode == null ? "missing (required)" : "unknown pruner " + typeNode.describe()
                            + NameSuggester.didYouMean(type == null ? "" : type, PRUNER_TYPES))
                            + " (known: median, Optuna's median pruner; asha, asynchronous successive halving)");
            return null;
        }
        boolean median = type.equals("median");
        reportUnknownKeys(pruner, "sweep.pruner", median ? MEDIAN_KEYS : ASHA_KEYS, "unknown key of a " + type + " pruner");
        if (median) {
            long startup = count(pruner, "n_startup_trials", 5, 0);
            long warmup = count(pruner, "n_warmup_steps", 0, 0);
            long interval = count(pruner, "interval_steps", 1, 1);
            return new SweepDefinition.PrunerSettings(SweepDefinition.PrunerType.MEDIAN, (int) Math.min(startup, MAX_TRIALS),
                    warmup, interval, 0, 0, 0, pruner.position());
        }
        long minSteps = count(pruner, "min_steps", 1, 1);
        long factor = count(pruner, "reduction_factor", 4, 2);
        long maxSteps = count(pruner, "max_steps", 0, 0);
        if (maxSteps > 0 && maxSteps < minSteps) {
            problems.add(pruner.get("max_steps").position(), "sweep.pruner.max_steps", "must be at least min_steps ("
                    + minSteps + "), got " + maxSteps);
        }
        return new SweepDefinition.PrunerSettings(SweepDefinition.PrunerType.ASHA, 0, 0, 0, minSteps,
                (int) Math.min(factor, 1000), maxSteps, pruner.position());
    }

    /** An integer setting of at least {@code least}, {@code otherwise} when absent. */
    private long count(ConfigMap block, String key, long otherwise, long least) {
        ConfigNode node = block.get(key);
        if (isAbsent(node)) {
            return otherwise;
        }
        Long value = integer(node);
        if (value == null || value < least) {
            problems.add(node.position(), "sweep.pruner." + key, "must be an integer of at least " + least + ", got "
                    + node.describe());
            return otherwise;
        }
        return value;
    }

    private Method method(ConfigMap sweep) {
        ConfigNode node = sweep.get("method");
        if (isAbsent(node)) {
            return Method.GRID;
        }
        String method = node instanceof ConfigScalar scalar ? scalar.text().toLowerCase(Locale.ROOT) : null;
        if (method == null || !METHODS.contains(method)) {
            String typed = node instanceof ConfigScalar scalar ? scalar.text() : "";
            problems.add(node.position(), "sweep.method", "unknown method " + node.describe()
                    + NameSuggester.didYouMean(typed, METHODS) + " (known: grid, every combination; random, sampled;"
                    + " tpe, proposed from the results so far)");
            return null;
        }
        return Method.valueOf(method.toUpperCase(Locale.ROOT));
    }

    /**
     * {@code sweep.executor}: a name ({@code spark}), or a mapping with {@code type}, {@code master} and
     * {@code conf}. Whether an executor of that name is installed is checked when the sweep starts.
     */
    private SweepDefinition.Executor executor(ConfigMap sweep) {
        ConfigNode node = sweep.get("executor");
        if (isAbsent(node)) {
            return null;
        }
        String example = "e.g. spark, or {type: spark, master: spark://host:7077, conf: {spark.executor.memory: 4g}}";
        if (node instanceof ConfigScalar scalar) {
            String type = executorName(scalar, "sweep.executor", example);
            return type == null ? null : new SweepDefinition.Executor(type, null, Map.of(), node.position());
        }
        if (!(node instanceof ConfigMap block)) {
            problems.add(node.position(), "sweep.executor", "must be an executor's name or a mapping, " + example
                    + ", got " + node.describe());
            return null;
        }
        reportUnknownKeys(block, "sweep.executor", EXECUTOR_KEYS, "unknown key of sweep.executor");
        ConfigNode typeNode = block.get("type");
        String type = null;
        if (isAbsent(typeNode)) {
            problems.add(typeNode == null ? block.position() : typeNode.position(), "sweep.executor.type",
                    "missing (required): the executor's name, e.g. spark");
        } else if (typeNode instanceof ConfigScalar scalar) {
            type = executorName(scalar, "sweep.executor.type", example);
        } else {
            problems.add(typeNode.position(), "sweep.executor.type", "must be a name such as spark, got "
                    + typeNode.describe());
        }
        String master = null;
        ConfigNode masterNode = block.get("master");
        if (!isAbsent(masterNode)) {
            if (masterNode instanceof ConfigScalar scalar && !scalar.text().isBlank()) {
                master = scalar.text().trim();
            } else {
                problems.add(masterNode.position(), "sweep.executor.master", "must be the cluster's address, e.g."
                        + " spark://host:7077, yarn or k8s://https://host:6443, got " + masterNode.describe());
            }
        }
        Map<String, String> conf = new LinkedHashMap<>();
        ConfigNode confNode = block.get("conf");
        if (!isAbsent(confNode)) {
            if (confNode instanceof ConfigMap settings) {
                for (ConfigMap.Entry entry : settings.entries()) {
                    if (entry.value() instanceof ConfigScalar value && !value.isNull()) {
                        conf.put(entry.key(), value.text());
                    } else {
                        problems.add(entry.value().position(), "sweep.executor.conf." + entry.key(),
                                "must be a single value, e.g. 4g, got " + entry.value().describe());
                    }
                }
            } else {
                problems.add(confNode.position(), "sweep.executor.conf", "must be a mapping of settings to values,"
                        + " e.g. {spark.executor.memory: 4g}, got " + confNode.describe());
            }
        }
        return type == null ? null : new SweepDefinition.Executor(type, master, conf, node.position());
    }

    private String executorName(ConfigScalar scalar, String path, String example) {
        String name = scalar.text().trim().toLowerCase(Locale.ROOT);
        if (!EXECUTOR_NAME.matcher(name).matches()) {
            problems.add(scalar.position(), path, "must be an executor's name, " + example + ", got "
                    + scalar.describe());
            return null;
        }
        return name;
    }

    private int trials(ConfigMap sweep, Method method) {
        ConfigNode node = sweep.get("trials");
        if (isAbsent(node)) {
            problems.add(node == null ? sweep.position() : node.position(), "sweep.trials",
                    "missing (required for method: " + method.key() + "): how many trials to run, e.g. 20");
            return 0;
        }
        Long trials = integer(node);
        if (trials == null || trials < 1 || trials > MAX_TRIALS) {
            problems.add(node.position(), "sweep.trials", "must be an integer from 1 to " + MAX_TRIALS + ", got "
                    + node.describe());
            return 0;
        }
        return trials.intValue();
    }

    /** The sampler's seed: {@code sweep.seed}, else the experiment's integer {@code seed}, else 42 (its default). */
    private long seed(ConfigMap sweep, ConfigMap root) {
        ConfigNode node = sweep.get("seed");
        if (!isAbsent(node)) {
            Long seed = integer(node);
            if (seed == null) {
                problems.add(node.position(), "sweep.seed", "must be an integer, got " + node.describe());
                return 0;
            }
            return seed;
        }
        Long experimentSeed = root.get("seed") == null ? null : integer(root.get("seed"));
        return experimentSeed == null ? DEFAULT_SEED : experimentSeed;
    }

    private List<Parameter> parameters(ConfigMap sweep, Method method) {
        ConfigNode node = sweep.get("parameters");
        String example = "e.g. {optimizer.lr: [0.01, 0.1], model.activation: [relu, tanh]}";
        if (isAbsent(node)) {
            problems.add(node == null ? sweep.position() : node.position(), "sweep.parameters",
                    "missing (required): the parameters to vary, " + example);
            return List.of();
        }
        if (!(node instanceof ConfigMap block) || block.entries().isEmpty()) {
            problems.add(node.position(), "sweep.parameters", "must be a mapping of parameter paths to values, "
                    + example + ", got " + (node instanceof ConfigMap ? "an empty mapping" : node.describe()));
            return List.of();
        }
        List<Parameter> parameters = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        for (ConfigMap.Entry entry : block.entries()) {
            Parameter parameter = parameter(entry, method, parameters, listed);
            listed.add(entry.key());
            if (parameter != null) {
                parameters.add(parameter);
            }
        }
        return parameters;
    }

    private Parameter parameter(ConfigMap.Entry entry, Method method, List<Parameter> earlier, List<String> listed) {
        String path = entry.key();
        String messagePath = "sweep.parameters." + path;
        if (!checkPath(path, entry.keyPosition(), messagePath)) {
            return null;
        }
        ConfigNode node = entry.value();
        if (node instanceof ConfigList list) {
            List<Value> values = values(list, messagePath);
            return values == null ? null : new Parameter(path, entry.keyPosition(), values, null, Map.of());
        }
        if (!(node instanceof ConfigMap domain)) {
            problems.add(node.position(), messagePath, "must be a list of values, e.g. [" + (node instanceof ConfigScalar
                    scalar && !scalar.isNull() ? scalar.text() : "0.01, 0.1") + "], or a distribution such as "
                    + "{distribution: log_uniform, min: 1.0e-4, max: 1.0}, got " + node.describe());
            return null;
        }
        reportUnknownKeys(domain, messagePath, DOMAIN_KEYS, "unknown key of a swept parameter");
        Map<String, List<Object>> when = when(domain, messagePath, earlier, listed);
        ConfigNode valuesNode = domain.get("values");
        if (valuesNode != null) {
            for (String rangeKey : List.of("distribution", "min", "max")) {
                ConfigMap.Entry conflicting = domain.entry(rangeKey);
                if (conflicting != null) {
                    problems.add(conflicting.keyPosition(), messagePath + "." + rangeKey,
                            "give either values or a distribution, not both");
                }
            }
            if (!(valuesNode instanceof ConfigList list)) {
                problems.add(valuesNode.position(), messagePath + ".values", "must be a list, got "
                        + valuesNode.describe());
                return null;
            }
            List<Value> values = values(list, messagePath + ".values");
            return values == null || when == null ? null : new Parameter(path, entry.keyPosition(), values, null, when);
        }
        Range range = range(domain, messagePath, method);
        return range == null || when == null ? null : new Parameter(path, entry.keyPosition(), List.of(), range, when);
    }

    /** A dotted path into the document that a trial may override. */
    private boolean checkPath(String path, SourcePosition position, String messagePath) {
        String[] keys = path.split("\\.", -1);
        for (String key : keys) {
            if (key.isBlank()) {
                problems.add(position, messagePath, "not a dotted path such as optimizer.lr: it has an empty part");
                return false;
            }
        }
        String root = keys[0];
        List<String> sweepable = ExperimentBinder.TOP_LEVEL_KEYS.stream().filter(key -> !NOT_SWEPT.contains(key)).toList();
        if (NOT_SWEPT.contains(root)) {
            problems.add(position, messagePath, "cannot be swept: " + root + " is the same for every trial of a"
                    + " sweep (sweepable: " + String.join(", ", sweepable) + ")");
            return false;
        }
        if (!ExperimentBinder.TOP_LEVEL_KEYS.contains(root)) {
            problems.add(position, messagePath, "unknown section '" + root + "'"
                    + NameSuggester.didYouMean(root, sweepable) + " (sweepable: " + String.join(", ", sweepable) + ")");
            return false;
        }
        return true;
    }

    private List<Value> values(ConfigList list, String messagePath) {
        if (list.items().isEmpty()) {
            problems.add(list.position(), messagePath, "empty list: give at least one value");
            return null;
        }
        List<Value> values = new ArrayList<>();
        boolean valid = true;
        for (ConfigNode item : list.items()) {
            Object plain = item.toPlain();
            boolean duplicate = values.stream().anyMatch(value -> sameValue(value.value(), plain));
            if (duplicate) {
                problems.add(item.position(), messagePath, "value " + item.describe() + " is listed twice");
                valid = false;
            }
            values.add(new Value(plain, item.position()));
        }
        return valid ? values : null;
    }

    private Range range(ConfigMap domain, String messagePath, Method method) {
        ConfigNode distributionNode = domain.get("distribution");
        if (isAbsent(distributionNode)) {
            problems.add(domain.position(), messagePath, "give values: [...] or a distribution (one of "
                    + String.join(", ", DISTRIBUTIONS) + ") with min and max");
            return null;
        }
        String name = distributionNode instanceof ConfigScalar scalar ? scalar.text().toLowerCase(Locale.ROOT) : "";
        if (!DISTRIBUTIONS.contains(name)) {
            problems.add(distributionNode.position(), messagePath + ".distribution", "unknown distribution "
                    + distributionNode.describe() + NameSuggester.didYouMean(name, DISTRIBUTIONS) + " (known: "
                    + String.join(", ", DISTRIBUTIONS) + ")");
            return null;
        }
        Distribution distribution = Distribution.valueOf(name.toUpperCase(Locale.ROOT));
        if (method == Method.GRID) {
            problems.add(distributionNode.position(), messagePath, "a distribution needs method: random or tpe; a grid"
                    + " needs a list of values, e.g. [0.001, 0.01, 0.1]");
            return null;
        }
        Double min = bound(domain, "min", messagePath, distribution);
        Double max = bound(domain, "max", messagePath, distribution);
        if (min == null || max == null) {
            return null;
        }
        if (min > max) {
            problems.add(domain.get("min").position(), messagePath, "min " + domain.get("min").describe()
                    + " is greater than max " + domain.get("max").describe());
            return null;
        }
        if (distribution == Distribution.LOG_UNIFORM && min <= 0) {
            problems.add(domain.get("min").position(), messagePath + ".min", "must be greater than 0 for log_uniform"
                    + " (a log scale has no 0), got " + domain.get("min").describe());
            return null;
        }
        return new Range(distribution, min, max, domain.position());
    }

    private Double bound(ConfigMap domain, String key, String messagePath, Distribution distribution) {
        ConfigNode node = domain.get(key);
        if (isAbsent(node)) {
            problems.add(node == null ? domain.position() : node.position(), messagePath + "." + key,
                    "missing (required for a distribution)");
            return null;
        }
        if (distribution == Distribution.INT_UNIFORM) {
            Long value = integer(node);
            if (value == null) {
                problems.add(node.position(), messagePath + "." + key, "must be an integer for int_uniform, got "
                        + node.describe());
                return null;
            }
            return value.doubleValue();
        }
        if (node instanceof ConfigScalar scalar && scalar.value() instanceof Number number
                && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        problems.add(node.position(), messagePath + "." + key, "must be a finite number, got " + node.describe());
        return null;
    }

    /** {@code when: {optimizer.type: sgd}}: the parameter applies only where an earlier swept parameter matches. */
    private Map<String, List<Object>> when(ConfigMap domain, String messagePath, List<Parameter> earlier,
            List<String> listed) {
        ConfigNode node = domain.get("when");
        if (isAbsent(node)) {
            return Map.of();
        }
        String whenPath = messagePath + ".when";
        if (!(node instanceof ConfigMap conditions) || conditions.entries().isEmpty()) {
            problems.add(node.position(), whenPath, "must be a mapping of swept paths to values, e.g. "
                    + "{optimizer.type: sgd}, got " + node.describe());
            return null;
        }
        Map<String, List<Object>> when = new LinkedHashMap<>();
        boolean valid = true;
        for (ConfigMap.Entry condition : conditions.entries()) {
            String conditionPath = whenPath + "." + condition.key();
            Parameter target = earlier.stream().filter(parameter -> parameter.path().equals(condition.key()))
                    .findFirst().orElse(null);
            if (target == null && listed.contains(condition.key())) {
                valid = false; // an earlier parameter with a problem of its own, already reported
                continue;
            }
            if (target == null) {
                List<String> earlierPaths = earlier.stream().map(Parameter::path).toList();
                problems.add(condition.keyPosition(), conditionPath, "not a swept parameter listed before this one"
                        + NameSuggester.didYouMean(condition.key(), earlierPaths) + "; a condition refers to an earlier"
                        + " entry of sweep.parameters" + (earlierPaths.isEmpty() ? "" : " (" + String.join(", ",
                        earlierPaths) + ")"));
                valid = false;
                continue;
            }
            List<ConfigNode> accepted = condition.value() instanceof ConfigList list
                    ? list.items() : List.of(condition.value());
            List<Object> values = new ArrayList<>();
            for (ConfigNode value : accepted) {
                Object plain = value.toPlain();
                if (target.isChoice() && target.values().stream().noneMatch(option -> sameValue(option.value(), plain))) {
                    problems.add(value.position(), conditionPath, "never matches: " + target.path() + " takes "
                            + target.values().stream().map(option -> PlainValues.describe(option.value())).toList()
                            + ", not " + value.describe());
                    valid = false;
                }
                values.add(plain);
            }
            when.put(condition.key(), values);
        }
        return valid ? when : null;
    }

    private Objective objective(ConfigMap root) {
        ConfigNode node = root.get("objective");
        if (isAbsent(node)) {
            return new Objective(DEFAULT_OBJECTIVE_METRIC, Objective.MIN, false);
        }
        if (!(node instanceof ConfigMap objective)) {
            problems.add(node.position(), "objective", "must be a mapping such as {metric: eval/accuracy, mode: max},"
                    + " got " + node.describe());
            return null;
        }
        reportUnknownKeys(objective, "objective", OBJECTIVE_KEYS, "unknown key of objective");
        ConfigNode metricNode = objective.get("metric");
        String metric = null;
        if (isAbsent(metricNode)) {
            problems.add(metricNode == null ? objective.position() : metricNode.position(), "objective.metric",
                    "missing (required): the metric that ranks the trials, e.g. eval/accuracy or eval/loss");
        } else if (!(metricNode instanceof ConfigScalar scalar) || !METRIC_NAME.matcher(scalar.text()).matches()) {
            problems.add(metricNode.position(), "objective.metric", "must be a metric name such as eval/accuracy,"
                    + " got " + metricNode.describe());
        } else {
            metric = scalar.text();
        }
        ConfigNode modeNode = objective.get("mode");
        String mode = null;
        if (isAbsent(modeNode)) {
            problems.add(modeNode == null ? objective.position() : modeNode.position(), "objective.mode",
                    "missing (required): max (higher is better, e.g. accuracy) or min (lower is better, e.g. loss)");
        } else if (!(modeNode instanceof ConfigScalar scalar) || !MODES.contains(scalar.text().toLowerCase(Locale.ROOT))) {
            String typed = modeNode instanceof ConfigScalar scalar ? scalar.text() : "";
            problems.add(modeNode.position(), "objective.mode", "must be max or min, got " + modeNode.describe()
                    + NameSuggester.didYouMean(typed, MODES));
        } else {
            mode = scalar.text().toLowerCase(Locale.ROOT);
        }
        return metric == null || mode == null ? null : new Objective(metric, mode, true);
    }

    private void reportUnknownKeys(ConfigMap block, String path, List<String> known, String what) {
        for (ConfigMap.Entry entry : block.entries()) {
            if (!known.contains(entry.key())) {
                problems.add(entry.keyPosition(), ConfigPath.child(path, entry.key()), what
                        + NameSuggester.didYouMean(entry.key(), known) + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static Long integer(ConfigNode node) {
        return node instanceof ConfigScalar scalar && scalar.kind() == ConfigScalar.Kind.INTEGER
                && scalar.value() instanceof Long value ? value : null;
    }

    private static boolean isAbsent(ConfigNode node) {
        return node == null || node instanceof ConfigScalar scalar && scalar.isNull();
    }

    private static boolean sameValue(Object a, Object b) {
        return SweepDefinition.sameValue(a, b);
    }
}

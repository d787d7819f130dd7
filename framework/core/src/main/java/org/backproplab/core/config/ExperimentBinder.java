package org.backproplab.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.plugin.ComponentKind;
import org.backproplab.spi.ComponentFactory;

/**
 * Binds a whole experiment document: the top-level keys, one component per {@link ComponentKind}
 * looked up in the {@link ComponentCatalog}, and the training and tracking sections.
 */
final class ExperimentBinder {

    static final List<String> TOP_LEVEL_KEYS = List.of(
            "name", "seed", "description", "dataset", "model", "loss", "optimizer", "metrics", "callbacks", "training", "tracking",
            "diagnostics", "sweep", "objective");
    /** Keys of the optimizer's block that the framework reads itself, not the optimizer. */
    static final String SCHEDULE = "schedule";
    private static final List<String> HEADER_KEYS = List.of("name", "seed", "description");
    private static final String TYPE = "type";

    private final ComponentCatalog catalog;
    private final ProblemCollector problems;
    private final RecordBinder records;

    ExperimentBinder(ComponentCatalog catalog, ProblemCollector problems) {
        this.catalog = catalog;
        this.problems = problems;
        this.records = new RecordBinder(problems);
    }

    /** The experiment, or {@code null} when anything was wrong (and reported). */
    Experiment bind(ConfigNode document, Path source) {
        if (document instanceof ConfigScalar scalar && scalar.isNull()) {
            problems.add(document.position(), "", "the file is empty; an experiment needs at least name, dataset, "
                    + "model, loss and optimizer");
            return null;
        }
        if (!(document instanceof ConfigMap root)) {
            problems.add(document.position(), "", "the document must be a mapping with keys such as name, dataset "
                    + "and model, got " + document.describe());
            return null;
        }
        int problemsBefore = problems.count();
        reportUnknownKeys(root);
        ExperimentHeader header = records.bind(ExperimentHeader.class, root.only(HEADER_KEYS), "", "unknown key");
        Map<ComponentKind, BoundComponent> components = new EnumMap<>(ComponentKind.class);
        for (ComponentKind kind : ComponentKind.placed(ComponentKind.Placement.BLOCK)) {
            BoundComponent component = component(root, kind);
            if (component != null) {
                components.put(kind, component);
            }
        }
        ScheduleChoice schedule = schedule(root);
        List<BoundComponent> metrics = componentList(root, ComponentKind.METRIC);
        List<BoundComponent> callbacks = componentList(root, ComponentKind.CALLBACK);
        TrainingSettings training = section(root, TrainingSettings.class, "training", "{epochs: 10}");
        TrackingSettings tracking = section(root, TrackingSettings.class, "tracking", "{experiment: my-experiment}");
        DiagnosticsSettings diagnostics = section(root, DiagnosticsSettings.class, "diagnostics", "{every: 50}");
        Map<String, Object> sweep = rawMapping(root, "sweep");
        Map<String, Object> objective = rawMapping(root, "objective");
        if (problems.count() > problemsBefore) {
            return null;
        }
        tracking = tracking.withDefaultNames(header.name());
        Map<String, Object> resolved = resolved(header, components, schedule, metrics, callbacks, training, tracking,
                diagnostics, sweep, objective);
        return new Experiment(header.name(), header.seed(), header.description(), source,
                components.get(ComponentKind.DATASET), components.get(ComponentKind.MODEL),
                components.get(ComponentKind.LOSS), components.get(ComponentKind.OPTIMIZER), schedule, metrics, callbacks,
                training, tracking, diagnostics, sweep, objective, resolved);
    }

    private void reportUnknownKeys(ConfigMap root) {
        for (ConfigMap.Entry entry : root.entries()) {
            if (!TOP_LEVEL_KEYS.contains(entry.key())) {
                problems.add(entry.keyPosition(), entry.key(), "unknown key"
                        + NameSuggester.didYouMean(entry.key(), TOP_LEVEL_KEYS)
                        + " (known: " + String.join(", ", TOP_LEVEL_KEYS) + ")");
            }
        }
    }

    private BoundComponent component(ConfigMap root, ComponentKind kind) {
        String key = kind.key();
        ConfigNode node = root.get(key);
        if (isAbsent(node)) {
            problems.add(node == null ? root.position() : node.position(), key,
                    "missing (required); give a mapping with a type, one of: " + known(kind));
            return null;
        }
        return block(node, key, kind, kind == ComponentKind.OPTIMIZER ? List.of(SCHEDULE) : List.of(), false);
    }

    /** {@code optimizer.schedule}, or {@code null} when absent (or when the optimizer block is not a mapping). */
    private ScheduleChoice schedule(ConfigMap root) {
        if (!(root.get(ComponentKind.OPTIMIZER.key()) instanceof ConfigMap optimizer) || isAbsent(optimizer.get(SCHEDULE))) {
            return null;
        }
        String path = ComponentKind.SCHEDULE.key();
        ConfigNode node = optimizer.get(SCHEDULE);
        BoundComponent component = block(node, path, ComponentKind.SCHEDULE, List.of(ScheduleWarmup.KEY), false);
        if (component == null) {
            return null;
        }
        ScheduleWarmup warmup = records.bind(ScheduleWarmup.class, ((ConfigMap) node).only(List.of(ScheduleWarmup.KEY)), path, "");
        return warmup == null ? null : new ScheduleChoice(component, warmup.warmupSteps());
    }

    /** A list of components such as {@code metrics: [accuracy, {type: top_k_accuracy, k: 5}]}; {@code null} when absent. */
    private List<BoundComponent> componentList(ConfigMap root, ComponentKind kind) {
        String key = kind.key();
        ConfigNode node = root.get(key);
        if (isAbsent(node)) {
            return null;
        }
        if (!(node instanceof ConfigList list)) {
            problems.add(node.position(), key, "must be a list of " + kind.noun() + " names or {type: ...} mappings, e.g. ["
                    + String.join(", ", catalog.factories(kind).keySet().stream().limit(2).toList()) + "], got " + node.describe());
            return null;
        }
        List<BoundComponent> components = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            ConfigNode item = list.items().get(i);
            String path = ConfigPath.element(key, i);
            BoundComponent component = block(item, path, kind, List.of(), true);
            if (component == null) {
                continue;
            }
            if (!seen.add(component.type()) && kind == ComponentKind.METRIC) {
                // Two of one metric would log the same keys twice per step.
                problems.add(item.position(), path, kind.noun() + " '" + component.type() + "' is listed twice");
                continue;
            }
            components.add(component);
        }
        return List.copyOf(components);
    }

    /**
     * One component: a mapping with its {@code type} and that type's parameters (and the framework's
     * {@code reserved} keys, left to the caller), or where {@code bareName} allows, just the type's name.
     */
    private BoundComponent block(ConfigNode node, String path, ComponentKind kind, List<String> reserved, boolean bareName) {
        Map<String, ComponentFactory<?>> factories = catalog.factories(kind);
        String typePath = ConfigPath.child(path, TYPE);
        ConfigNode typeNode;
        ConfigMap parameters;
        if (bareName && node instanceof ConfigScalar scalar && scalar.kind() == ConfigScalar.Kind.STRING) {
            typeNode = scalar;
            typePath = path;
            parameters = new ConfigMap(node.position());
        } else if (node instanceof ConfigMap block) {
            typeNode = block.get(TYPE);
            if (isAbsent(typeNode)) {
                SourcePosition position = typeNode == null ? block.position() : typeNode.position();
                problems.add(position, typePath, "missing; one of: " + known(kind));
                return null;
            }
            parameters = block.without(TYPE);
            for (String key : reserved) {
                parameters = parameters.without(key);
            }
        } else {
            String example = node instanceof ConfigScalar scalar && factories.containsKey(scalar.text())
                    ? ", e.g. {type: " + scalar.text() + "}"
                    : "";
            problems.add(node.position(), path, "must be a mapping with a type" + (bareName ? " or a " + kind.noun() + " name" : "")
                    + example + ", got " + node.describe());
            return null;
        }
        if (!(typeNode instanceof ConfigScalar typeScalar)) {
            problems.add(typeNode.position(), typePath, "must be the name of a " + kind.noun() + ", one of: " + known(kind)
                    + ", got " + typeNode.describe());
            return null;
        }
        String type = typeScalar.text();
        ComponentFactory<?> factory = factories.get(type);
        if (factory == null) {
            // Its parameters are not checked: against which factory would they be?
            String suggestion = NameSuggester.didYouMean(type, factories.keySet());
            // No near name: most likely a component of a plugin jar that was not loaded.
            String pluginHint = suggestion.isEmpty()
                    ? "; if it comes from a plugin jar, load it with --plugins DIR or LAB_PLUGIN_PATH"
                    : "";
            problems.add(typeNode.position(), typePath, "unknown " + kind.noun() + " '" + type + "'"
                    + suggestion + " (known: " + known(kind) + ")" + pluginHint);
            return null;
        }
        Record bound = records.bind(
                factory.parametersType(), parameters, path, "unknown parameter of " + kind.noun() + " '" + type + "'");
        return bound == null ? null : new BoundComponent(kind, type, factory, bound);
    }

    private String known(ComponentKind kind) {
        Map<String, ComponentFactory<?>> factories = catalog.factories(kind);
        return factories.isEmpty() ? "none is installed" : String.join(", ", factories.keySet());
    }

    private <R extends Record> R section(ConfigMap root, Class<R> type, String key, String example) {
        ConfigNode node = root.get(key);
        if (isAbsent(node)) {
            return records.bind(type, new ConfigMap(node == null ? root.position() : node.position()), key, "");
        }
        if (!(node instanceof ConfigMap block)) {
            problems.add(node.position(), key, "must be a mapping of settings such as " + example + ", got "
                    + node.describe());
            return null;
        }
        return records.bind(type, block, key, "unknown setting of " + key);
    }

    @SuppressWarnings("unchecked") // ConfigMap.toPlain() is a Map<String, Object>
    private Map<String, Object> rawMapping(ConfigMap root, String key) {
        ConfigNode node = root.get(key);
        if (isAbsent(node)) {
            return null;
        }
        if (!(node instanceof ConfigMap)) {
            problems.add(node.position(), key, "must be a mapping, got " + node.describe());
            return null;
        }
        return (Map<String, Object>) node.toPlain();
    }

    private static boolean isAbsent(ConfigNode node) {
        return node == null || node instanceof ConfigScalar scalar && scalar.isNull();
    }

    private static Map<String, Object> resolved(ExperimentHeader header, Map<ComponentKind, BoundComponent> components,
            ScheduleChoice schedule, List<BoundComponent> metrics, List<BoundComponent> callbacks, TrainingSettings training,
            TrackingSettings tracking, DiagnosticsSettings diagnostics, Map<String, Object> sweep, Map<String, Object> objective) {
        Map<String, Object> resolved = new LinkedHashMap<>(PlainValues.ofRecord(header));
        components.forEach((kind, component) -> {
            Map<String, Object> block = plainBlock(component);
            if (kind == ComponentKind.OPTIMIZER && schedule != null) {
                Map<String, Object> scheduleBlock = plainBlock(schedule.component());
                scheduleBlock.putAll(PlainValues.ofRecord(new ScheduleWarmup(schedule.warmupSteps())));
                block.put(SCHEDULE, Collections.unmodifiableMap(scheduleBlock));
            }
            resolved.put(kind.key(), Collections.unmodifiableMap(block));
        });
        if (metrics != null) {
            resolved.put(ComponentKind.METRIC.key(), metrics.stream().map(m -> Collections.unmodifiableMap(plainBlock(m))).toList());
        }
        if (callbacks != null) {
            resolved.put(ComponentKind.CALLBACK.key(),
                    callbacks.stream().map(c -> Collections.unmodifiableMap(plainBlock(c))).toList());
        }
        resolved.put("training", PlainValues.ofRecord(training));
        resolved.put("tracking", PlainValues.ofRecord(tracking));
        resolved.put("diagnostics", PlainValues.ofRecord(diagnostics));
        if (sweep != null) {
            resolved.put("sweep", sweep);
        }
        if (objective != null) {
            resolved.put("objective", objective);
        }
        return Collections.unmodifiableMap(resolved);
    }

    private static Map<String, Object> plainBlock(BoundComponent component) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put(TYPE, component.type());
        block.putAll(PlainValues.ofRecord(component.parameters()));
        return block;
    }
}

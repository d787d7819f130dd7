package org.backproplab.core.config;

import java.nio.file.Path;
import java.util.Collections;
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
            "name", "seed", "description", "dataset", "model", "loss", "optimizer", "training", "tracking", "diagnostics", "sweep",
            "objective");
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
        ModelInitial initial = root.get(ComponentKind.MODEL.key()) instanceof ConfigMap model
                ? new ModelInitialReader(problems).read(model.get(ModelInitial.KEY),
                        ConfigPath.child(ComponentKind.MODEL.key(), ModelInitial.KEY))
                : ModelInitial.NONE;
        TrainingSettings training = section(root, TrainingSettings.class, "training", "{epochs: 10}");
        TrackingSettings tracking = section(root, TrackingSettings.class, "tracking", "{experiment: my-experiment}");
        DiagnosticsSettings diagnostics = section(root, DiagnosticsSettings.class, "diagnostics", "{every: 50}");
        Map<String, Object> sweep = rawMapping(root, "sweep");
        Map<String, Object> objective = rawMapping(root, "objective");
        if (problems.count() > problemsBefore) {
            return null;
        }
        tracking = tracking.withDefaultNames(header.name());
        Map<String, Object> resolved = resolved(header, components, initial, training, tracking, diagnostics, sweep, objective);
        return new Experiment(header.name(), header.seed(), header.description(), source,
                components.get(ComponentKind.DATASET), components.get(ComponentKind.MODEL),
                components.get(ComponentKind.LOSS), components.get(ComponentKind.OPTIMIZER),
                training, tracking, diagnostics, sweep, objective, resolved, initial);
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
        Map<String, ComponentFactory<?>> factories = catalog.factories(kind);
        String known = factories.isEmpty() ? "none is installed" : String.join(", ", factories.keySet());
        ConfigNode node = root.get(key);
        if (isAbsent(node)) {
            problems.add(node == null ? root.position() : node.position(), key,
                    "missing (required); give a mapping with a type, one of: " + known);
            return null;
        }
        if (!(node instanceof ConfigMap block)) {
            String example = node instanceof ConfigScalar scalar && factories.containsKey(scalar.text())
                    ? ", e.g. {type: " + scalar.text() + "}"
                    : "";
            problems.add(node.position(), key, "must be a mapping with a type" + example + ", got " + node.describe());
            return null;
        }
        String typePath = ConfigPath.child(key, TYPE);
        ConfigNode typeNode = block.get(TYPE);
        if (isAbsent(typeNode)) {
            SourcePosition position = typeNode == null ? block.position() : typeNode.position();
            problems.add(position, typePath, "missing; one of: " + known);
            return null;
        }
        if (!(typeNode instanceof ConfigScalar typeScalar)) {
            problems.add(typeNode.position(), typePath, "must be the name of a " + key + ", one of: " + known
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
            problems.add(typeNode.position(), typePath, "unknown " + key + " '" + type + "'"
                    + suggestion + " (known: " + known + ")" + pluginHint);
            return null;
        }
        // model.initial belongs to the framework (given start values for any model), not to the model's factory.
        ConfigMap parameterBlock = kind == ComponentKind.MODEL ? block.without(TYPE).without(ModelInitial.KEY) : block.without(TYPE);
        Record parameters = records.bind(
                factory.parametersType(), parameterBlock, key, "unknown parameter of " + key + " '" + type + "'");
        return parameters == null ? null : new BoundComponent(kind, type, factory, parameters);
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
            ModelInitial initial, TrainingSettings training, TrackingSettings tracking, DiagnosticsSettings diagnostics, Map<String, Object> sweep,
            Map<String, Object> objective) {
        Map<String, Object> resolved = new LinkedHashMap<>(PlainValues.ofRecord(header));
        Map<String, Object> initialPlain = plain(initial);
        components.forEach((kind, component) -> {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put(TYPE, component.type());
            block.putAll(PlainValues.ofRecord(component.parameters()));
            if (kind == ComponentKind.MODEL && !initial.isEmpty()) {
                block.put(ModelInitial.KEY, initialPlain);
            }
            resolved.put(kind.key(), Collections.unmodifiableMap(block));
        });
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

    /** The given values as the file writes them: nested lists of numbers. */
    private static Map<String, Object> plain(ModelInitial initial) {
        Map<String, Object> layers = new LinkedHashMap<>();
        initial.layers().forEach((name, layer) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            layer.weight().ifPresent(weight -> values.put("weight", nested(weight.values(), weight.shape(), 0, 0)));
            layer.bias().ifPresent(bias -> values.put("bias", nested(bias.values(), bias.shape(), 0, 0)));
            layers.put(name, Collections.unmodifiableMap(values));
        });
        return Collections.unmodifiableMap(layers);
    }

    private static Object nested(double[] values, List<Long> shape, int depth, int offset) {
        if (depth == shape.size()) {
            return values[offset];
        }
        int stride = 1;
        for (int d = depth + 1; d < shape.size(); d++) {
            stride *= shape.get(d).intValue();
        }
        List<Object> list = new java.util.ArrayList<>();
        for (int i = 0; i < shape.get(depth); i++) {
            list.add(nested(values, shape, depth + 1, offset + i * stride));
        }
        return Collections.unmodifiableList(list);
    }
}

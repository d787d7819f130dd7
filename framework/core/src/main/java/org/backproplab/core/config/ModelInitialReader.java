package org.backproplab.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code model.initial:}, reporting every problem with its position: a layer name that is not
 * {@code layer_NN}, a key other than {@code weight} and {@code bias}, values that are not numbers,
 * ragged rows. Whether the shapes fit the model is checked once the model exists (training.InitialParameters).
 */
final class ModelInitialReader {

    private static final Pattern LAYER = Pattern.compile("layer_[0-9]{2,}");
    private static final List<String> LAYER_KEYS = List.of("weight", "bias");

    private final ProblemCollector problems;
    /** How deep the numbers of the tensor being read are, once the first one is seen. */
    private int leafDepth;

    ModelInitialReader(ProblemCollector problems) {
        this.problems = problems;
    }

    /** The values, {@link ModelInitial#NONE} when the node is absent, or {@code null} after reporting a problem. */
    ModelInitial read(ConfigNode node, String path) {
        if (node == null || node instanceof ConfigScalar scalar && scalar.isNull()) {
            return ModelInitial.NONE;
        }
        if (!(node instanceof ConfigMap map)) {
            problems.add(node.position(), path, "must be a mapping of layers, e.g. {layer_01: {weight: [[0.1, 0.2]],"
                    + " bias: [0.3]}}, got " + node.describe());
            return null;
        }
        int before = problems.count();
        Map<String, ModelInitial.Layer> layers = new LinkedHashMap<>();
        for (ConfigMap.Entry entry : map.entries()) {
            String layerPath = ConfigPath.child(path, entry.key());
            if (!LAYER.matcher(entry.key()).matches()) {
                problems.add(entry.keyPosition(), layerPath, "a layer is named layer_01, layer_02, ... from the input"
                        + " (the names of grad_norm/layer_NN), got '" + entry.key() + "'");
                continue;
            }
            if (!(entry.value() instanceof ConfigMap values)) {
                problems.add(entry.value().position(), layerPath, "must be a mapping with weight and/or bias, got "
                        + entry.value().describe());
                continue;
            }
            for (ConfigMap.Entry value : values.entries()) {
                if (!LAYER_KEYS.contains(value.key())) {
                    problems.add(value.keyPosition(), ConfigPath.child(layerPath, value.key()), "unknown key"
                            + NameSuggester.didYouMean(value.key(), LAYER_KEYS) + " (known: weight, bias)");
                }
            }
            Optional<ModelInitial.Tensor> weight = tensor(values.get("weight"), ConfigPath.child(layerPath, "weight"));
            Optional<ModelInitial.Tensor> bias = tensor(values.get("bias"), ConfigPath.child(layerPath, "bias"));
            layers.put(entry.key(), new ModelInitial.Layer(entry.key(), weight, bias));
        }
        return problems.count() > before ? null : new ModelInitial(layers);
    }

    private Optional<ModelInitial.Tensor> tensor(ConfigNode node, String path) {
        if (node == null || node instanceof ConfigScalar scalar && scalar.isNull()) {
            return Optional.empty();
        }
        List<Long> shape = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (!(node instanceof ConfigList)) {
            problems.add(node.position(), path, "must be a list of numbers (nested for a matrix, e.g. [[0.1, 0.2]]),"
                    + " got " + node.describe());
            return Optional.empty();
        }
        leafDepth = -1;
        if (!collect(node, path, 0, shape, values)) {
            return Optional.empty();
        }
        return Optional.of(new ModelInitial.Tensor(path, node.position(), shape,
                values.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** Walks the nesting: every list at one depth must have the length the first one had. */
    private boolean collect(ConfigNode node, String path, int depth, List<Long> shape, List<Double> values) {
        if (node instanceof ConfigList list) {
            if (leafDepth >= 0 && depth >= leafDepth) {
                problems.add(node.position(), path, "ragged: a list where a number is expected, got " + node.describe());
                return false;
            }
            if (shape.size() == depth) {
                if (list.items().isEmpty()) {
                    problems.add(node.position(), path, "must not be empty, got []");
                    return false;
                }
                shape.add((long) list.items().size());
            } else if (shape.get(depth) != (long) list.items().size()) {
                problems.add(node.position(), path, "ragged: has " + list.items().size() + " values where the first row has "
                        + shape.get(depth));
                return false;
            }
            boolean valid = true;
            for (int i = 0; i < list.items().size(); i++) {
                valid &= collect(list.items().get(i), ConfigPath.element(path, i), depth + 1, shape, values);
            }
            return valid;
        }
        if (leafDepth < 0) {
            leafDepth = depth;
        }
        if (shape.size() != depth) {
            problems.add(node.position(), path, "ragged: a number where a list of " + shape.get(depth)
                    + " is expected, got " + node.describe());
            return false;
        }
        if (node instanceof ConfigScalar scalar
                && (scalar.kind() == ConfigScalar.Kind.INTEGER || scalar.kind() == ConfigScalar.Kind.FLOAT)) {
            double value = ((Number) scalar.value()).doubleValue();
            if (Double.isFinite(value)) {
                values.add(value);
                return true;
            }
        }
        problems.add(node.position(), path, "must be a finite number, got " + node.describe());
        return false;
    }
}

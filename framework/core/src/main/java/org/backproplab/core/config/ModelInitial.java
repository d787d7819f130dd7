package org.backproplab.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code model.initial:} block: start values for some or all of a model's parameters, by layer
 * ({@code layer_01} next to the input, as in {@code grad_norm/layer_01}), read with where each value
 * is written so that a value that does not fit the model can be pointed at.
 *
 * @param layers layer name to its given values, in file order; empty when the block is absent
 */
public record ModelInitial(Map<String, Layer> layers) {

    /** The key inside the {@code model:} block, handled by the framework rather than the model's factory. */
    public static final String KEY = "initial";

    /** No values given: every parameter starts as the model's initialiser makes it. */
    public static final ModelInitial NONE = new ModelInitial(Map.of());

    public ModelInitial {
        layers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layers));
    }

    /** Whether no value is given. */
    public boolean isEmpty() {
        return layers.isEmpty();
    }

    /**
     * The given values of one layer.
     *
     * @param name e.g. {@code layer_01}
     * @param weight its weight, when given
     * @param bias its bias, when given
     */
    public record Layer(String name, Optional<Tensor> weight, Optional<Tensor> bias) {

        public Layer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(weight, "weight");
            Objects.requireNonNull(bias, "bias");
        }
    }

    /**
     * One given array: nested lists in the file, kept row-major with the shape the nesting gives.
     *
     * @param path its dotted path, e.g. {@code model.initial.layer_01.weight}
     * @param position where it is written
     * @param shape the nesting's sizes, outermost first: {@code [[1, 2, 3], [4, 5, 6]]} is {@code [2, 3]}
     * @param values the numbers, row-major
     */
    public record Tensor(String path, SourcePosition position, List<Long> shape, double[] values) {

        public Tensor {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(position, "position");
            shape = List.copyOf(shape);
            values = values.clone();
        }

        /** The shape as DJL writes it, e.g. {@code (2, 3)}. */
        public String shapeText() {
            return "(" + String.join(", ", shape.stream().map(String::valueOf).toList()) + ")";
        }

        @Override
        public double[] values() {
            return values.clone();
        }
    }
}

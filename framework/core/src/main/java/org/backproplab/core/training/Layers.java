package org.backproplab.core.training;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.backproplab.spi.Layer;

/**
 * The layers of a network as diagnostics see them: every weight parameter in block order is one
 * layer, numbered from the input ({@code layer_01}) with zero padding so charts sort, with the bias
 * of the same block.
 */
final class Layers {

    private Layers() {}

    static List<Layer> of(Block block) {
        List<Pair<String, Parameter>> weights = new ArrayList<>();
        Map<String, Parameter> biases = new HashMap<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Parameter parameter = entry.getValue();
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                weights.add(entry);
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                biases.put(blockPrefix(entry.getKey()), parameter);
            }
        }
        int digits = Math.max(2, String.valueOf(weights.size()).length());
        List<Layer> layers = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            String parameterName = weights.get(i).getKey();
            layers.add(new Layer(String.format(Locale.ROOT, "layer_%0" + digits + "d", i + 1), parameterName,
                    weights.get(i).getValue(), Optional.ofNullable(biases.get(blockPrefix(parameterName)))));
        }
        return List.copyOf(layers);
    }

    /** {@code 01Linear_weight} → {@code 01Linear}: DJL names a block's parameters by its path plus the parameter's name. */
    private static String blockPrefix(String parameterName) {
        int underscore = parameterName.lastIndexOf('_');
        return underscore < 0 ? parameterName : parameterName.substring(0, underscore);
    }
}

package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-layer activation statistics of a {@link SequentialBlock}: a second forward pass over a batch,
 * child by child, so each hidden layer's post-activation output can be measured (DJL has no forward
 * hooks). Activations are recognised by DJL's activation block names ({@code Activation.*Block()}).
 *
 * <ul>
 *   <li>{@code act_mean/layer_NN}, {@code act_std/layer_NN}: of the layer's outputs over the batch;
 *   <li>{@code act_saturation/layer_NN}: sigmoid or tanh outputs within {@code threshold} of their bounds;
 *   <li>{@code dead_relu/layer_NN}: ReLU units that output nothing positive for any example of the batch.
 * </ul>
 */
final class LayerDiagnostics {

    private final Block block;
    private final List<String> layerNames;
    private final double threshold;

    LayerDiagnostics(Block block, List<String> layerNames, double saturationThreshold) {
        this.block = block;
        this.layerNames = layerNames;
        this.threshold = saturationThreshold;
    }

    /** The statistics of each hidden layer for {@code input}, computed in {@code manager}. */
    Map<String, Double> measure(NDArray input, NDManager manager) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (!(block instanceof SequentialBlock sequential)) {
            return values;
        }
        ParameterStore store = new ParameterStore(manager, false);
        NDArray x = input;
        int layer = -1;
        for (Block child : sequential.getChildren().values()) {
            x = child.forward(store, new NDList(x), false).singletonOrThrow();
            x.attach(manager);
            if (child.getParameters().values().stream().anyMatch(p -> p.getType() == Parameter.Type.WEIGHT)) {
                layer++;
                continue;
            }
            if (layer < 0 || layer >= layerNames.size() || !(child instanceof LambdaBlock activation)) {
                continue;
            }
            String name = layerNames.get(layer);
            String kind = activation.getName().toLowerCase(Locale.ROOT);
            values.put("act_mean/" + name, (double) x.mean().getFloat());
            values.put("act_std/" + name, Math.sqrt(x.sub(x.mean()).square().mean().getFloat()));
            long count = x.size();
            if (kind.contains("sigmoid")) {
                long saturated = x.lt(threshold).logicalOr(x.gt(1 - threshold)).countNonzero().getLong();
                values.put("act_saturation/" + name, (double) saturated / count);
            } else if (kind.contains("tanh")) {
                long saturated = x.abs().gt(1 - threshold).countNonzero().getLong();
                values.put("act_saturation/" + name, (double) saturated / count);
            } else if (kind.contains("relu")) {
                // A unit is dead on this batch when no example makes it positive.
                long units = x.getShape().get(x.getShape().dimension() - 1);
                long alive = x.gt(0).toType(ai.djl.ndarray.types.DataType.INT32, false).max(new int[] {0}).countNonzero().getLong();
                values.put("dead_relu/" + name, (double) (units - alive) / units);
            }
        }
        return values;
    }
}

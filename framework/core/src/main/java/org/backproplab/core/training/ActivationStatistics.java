package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-layer activation statistics: a second forward pass over a batch, block by block through nested
 * {@link SequentialBlock}s, so each activation block's output can be measured where it is made (DJL has no
 * forward hooks). An activation belongs to the layer of the last weight before it. The sequential branches of a
 * {@link ParallelBlock} (a residual block's f in x + f(x)) are walked the same way; other blocks are run whole.
 *
 * <ul>
 *   <li>{@code act_mean/layer_NN}, {@code act_std/layer_NN}: of the activation's outputs over the batch;
 *   <li>{@code act_saturation/layer_NN}: the fraction of sigmoid or tanh outputs within {@code threshold} of
 *       their bounds;
 *   <li>{@code dead_relu/layer_NN}: the fraction of ReLU units (each value of an example's output: a channel
 *       at a position, for a convolution) that are positive for no example of the batch; always in [0, 1].
 * </ul>
 */
final class ActivationStatistics {

    /** DJL's and the built-in models' activation block names; pooling and flattening are lambda blocks too. */
    private static final Pattern ACTIVATION =
            Pattern.compile(".*(relu|sigmoid|tanh|elu|selu|gelu|swish|mish|softsign|softplus|identity).*");

    private final Block block;
    private final int layers;
    private final double threshold;
    private final String format;

    ActivationStatistics(Block block, int layers, double saturationThreshold) {
        this.block = block;
        this.layers = layers;
        this.threshold = saturationThreshold;
        this.format = "layer_%0" + Math.max(2, String.valueOf(layers).length()) + "d";
    }

    /** The statistics of each hidden layer for {@code input}, computed in {@code manager}. */
    Map<String, Double> measure(NDArray input, NDManager manager) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (!(block instanceof SequentialBlock)) {
            return values;
        }
        walk(block, input, new ParameterStore(manager, false), manager, new int[] {0}, values);
        return values;
    }

    /** Runs {@code current} on {@code x}, measuring the activations inside it; returns its output. */
    private NDArray walk(Block current, NDArray x, ParameterStore store, NDManager manager, int[] weightsSeen,
            Map<String, Double> values) {
        if (current instanceof SequentialBlock sequential) {
            for (Block child : sequential.getChildren().values()) {
                x = walk(child, x, store, manager, weightsSeen, values);
            }
            return x;
        }
        if (current instanceof ParallelBlock parallel) {
            // Each branch sees the same input (a residual block: f and the identity): measure inside the
            // sequential branches, then run the block whole for its output (DJL keeps its join function private).
            for (Block branch : parallel.getChildren().values()) {
                if (branch instanceof SequentialBlock) {
                    walk(branch, x, store, manager, weightsSeen, values);
                } else {
                    weightsSeen[0] += (int) weightCount(branch);
                }
            }
            NDArray output = current.forward(store, new NDList(x), false).singletonOrThrow();
            output.attach(manager);
            return output;
        }
        NDArray output = current.forward(store, new NDList(x), false).singletonOrThrow();
        output.attach(manager);
        long weights = weightCount(current);
        weightsSeen[0] += (int) weights;
        if (weights == 0 && current instanceof LambdaBlock lambda && weightsSeen[0] > 0 && weightsSeen[0] <= layers) {
            String kind = lambda.getName().toLowerCase(Locale.ROOT);
            if (ACTIVATION.matcher(kind).matches()) {
                measureActivation(kind, output, String.format(Locale.ROOT, format, weightsSeen[0]), values);
            }
        }
        return output;
    }

    private static long weightCount(Block block) {
        return block.getParameters().values().stream().filter(p -> p.getType() == Parameter.Type.WEIGHT).count();
    }

    private void measureActivation(String kind, NDArray x, String layer, Map<String, Double> values) {
        double mean = x.mean().getFloat();
        values.put("act_mean/" + layer, mean);
        values.put("act_std/" + layer, Math.sqrt(x.sub(x.mean()).square().mean().getFloat()));
        long count = x.size();
        if (kind.contains("sigmoid")) {
            long saturated = x.lt(threshold).logicalOr(x.gt(1 - threshold)).countNonzero().getLong();
            values.put("act_saturation/" + layer, (double) saturated / count);
        } else if (kind.contains("tanh")) {
            long saturated = x.abs().gt(1 - threshold).countNonzero().getLong();
            values.put("act_saturation/" + layer, (double) saturated / count);
        } else if (kind.contains("relu") && !kind.contains("leaky")) {
            // A unit is dead on this batch when no example makes it positive; units are every value of an example.
            long examples = x.getShape().get(0);
            long units = count / examples;
            NDArray positive = x.gt(0).toType(DataType.INT32, false).reshape(examples, units);
            long alive = positive.max(new int[] {0}).countNonzero().getLong();
            values.put("dead_relu/" + layer, (double) (units - alive) / units);
        }
    }
}

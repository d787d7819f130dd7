package org.backproplab.plugins.models;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.initializer.Initializer;
import java.util.ArrayList;
import java.util.List;

/**
 * The building blocks the built-in models share. Models are {@link SequentialBlock}s with DJL's own
 * blocks: the per-layer diagnostics number every WEIGHT parameter in block order as a layer and
 * recognise activations by DJL's block names.
 */
final class Layers {

    private Layers() {}

    /** How a hidden layer transforms what its Linear or convolution computed. */
    record Hidden(Block activation, boolean batchNorm, double dropout) {}

    /** The activation block the parameters name. */
    static Block activation(ActivationFunction function, double leakyReluSlope, double eluAlpha) {
        return function.block((float) leakyReluSlope, (float) eluAlpha);
    }

    /** Linear → [batch norm] → activation → [dropout], the blocks in that order. */
    static List<Block> dense(int width, Hidden hidden) {
        return withHidden(Linear.builder().setUnits(width).build(), hidden);
    }

    /** {@code weightLayer} → [batch norm] → activation → [dropout]. */
    static List<Block> withHidden(Block weightLayer, Hidden hidden) {
        List<Block> blocks = new ArrayList<>(List.of(weightLayer));
        if (hidden.batchNorm()) {
            // Axis 1 is the units of a Linear's output and the channels of a convolution's.
            blocks.add(BatchNorm.builder().optAxis(1).build());
        }
        blocks.add(hidden.activation());
        if (hidden.dropout() > 0) {
            blocks.add(Dropout.builder().optRate((float) hidden.dropout()).build());
        }
        return blocks;
    }

    /** x + f(x), f being the given blocks in order: the identity path carries the gradient unchanged. */
    static Block residual(List<Block> f) {
        SequentialBlock branch = new SequentialBlock().addAll(f);
        return new ParallelBlock(
                outputs -> new NDList(outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow())),
                List.of(branch, Blocks.identityBlock()));
    }

    /** Sets the weights' initializer; biases keep DJL's zeros, batch norm its ones and zeros. */
    static void initialise(Block network, WeightInitialization init, double std, ActivationFunction activation) {
        Initializer initializer = init.initializer(std, activation);
        if (initializer != null) {
            network.setInitializer(initializer, Parameter.Type.WEIGHT);
        }
    }
}

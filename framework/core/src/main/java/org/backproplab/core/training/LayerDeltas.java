package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.backproplab.spi.Layer;

/**
 * Each layer's delta δˡ = ∂L/∂zˡ for one batch, z being the output of the layer's Linear or convolution block: one
 * forward pass in training mode, block by block through nested {@link SequentialBlock}s and {@link ParallelBlock}
 * branches, with a zero array added to every z (z + 0 is z, and ∂L/∂0 there is ∂L/∂z), then one backward pass.
 *
 * <p>The parameters' gradients, which the optimizer is about to use, are not touched: every block reads its
 * parameters through a store that hands out copies detached from autograd, and batch norm's running statistics as
 * copies of their own, so its update in training mode lands in the copy. What cannot be computed so, {@link
 * #unsupported()} says: a dropout block (its mask of the step is gone, and drawing another would change the run's
 * random numbers), a block with parameters other than Linear, convolution, batch and layer norm (it may read them
 * past the store), a sequential block that returns its intermediate outputs.
 */
final class LayerDeltas {

    private final Block model;
    private final Loss loss;
    private final Map<Block, Layer> layerOf = new IdentityHashMap<>();
    private final Map<ParallelBlock, Function<List<NDList>, NDList>> joins = new IdentityHashMap<>();
    private final String unsupported;

    LayerDeltas(Block model, List<Layer> layers, Loss loss) {
        this.model = model;
        this.loss = loss;
        Map<Parameter, Layer> byWeight = new IdentityHashMap<>();
        layers.forEach(layer -> byWeight.put(layer.weight(), layer));
        this.unsupported = check(model, byWeight);
    }

    /** Why the deltas of this model cannot be computed, or {@code null} when they can. */
    String unsupported() {
        return unsupported;
    }

    /**
     * δ of every layer for the batch, arrays of {@code manager}, in block order; empty when {@link #unsupported()}.
     * Runs its own gradient collector: call it when the training step's is closed.
     */
    Map<Layer, NDArray> compute(NDArray inputs, NDArray targets, NDManager manager) {
        Map<Layer, NDArray> probes = new LinkedHashMap<>();
        if (unsupported != null) {
            return probes;
        }
        ParameterStore store = new DetachedParameters(manager);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray output = walk(model, new NDList(inputs), store, manager, probes).singletonOrThrow();
            collector.backward(loss.evaluate(new NDList(targets), new NDList(output)));
        }
        Map<Layer, NDArray> deltas = new LinkedHashMap<>();
        probes.forEach((layer, probe) -> {
            NDArray delta = probe.getGradient();
            delta.attach(manager);
            deltas.put(layer, delta);
        });
        return deltas;
    }

    /** Runs {@code block} on {@code x}, a zero probe added to each layer's output; returns the block's output. */
    private NDList walk(Block block, NDList x, ParameterStore store, NDManager manager, Map<Layer, NDArray> probes) {
        if (block instanceof SequentialBlock sequential) {
            for (Block child : sequential.getChildren().values()) {
                x = walk(child, x, store, manager, probes);
            }
            return x;
        }
        if (block instanceof ParallelBlock parallel) {
            List<NDList> outputs = new ArrayList<>();
            for (Block branch : parallel.getChildren().values()) {
                outputs.add(walk(branch, x, store, manager, probes));
            }
            return joins.get(parallel).apply(outputs);
        }
        NDList output = block.forward(store, x, true);
        Layer layer = layerOf.get(block);
        if (layer == null) {
            return output;
        }
        NDArray z = output.singletonOrThrow();
        NDArray probe = z.zerosLike();
        probe.attach(manager);
        probe.setRequiresGradient(true);
        probes.put(layer, probe);
        return new NDList(z.add(probe));
    }

    /** Why {@code block} cannot be walked, or {@code null}; fills {@link #layerOf} and {@link #joins} on the way. */
    private String check(Block block, Map<Parameter, Layer> byWeight) {
        if (block instanceof SequentialBlock sequential) {
            if (sequential.isReturnIntermediate()) {
                return "a SequentialBlock that returns its intermediate outputs";
            }
            return checkAll(sequential.getChildren().values(), byWeight);
        }
        if (block instanceof ParallelBlock parallel) {
            Function<List<NDList>, NDList> join = join(parallel);
            if (join == null) {
                return "a ParallelBlock whose join function cannot be read";
            }
            joins.put(parallel, join);
            return checkAll(parallel.getChildren().values(), byWeight);
        }
        if (block instanceof Dropout) {
            return "a Dropout block (its mask of the step cannot be drawn again without changing the run's random numbers)";
        }
        if (block.getParameters().isEmpty() || block instanceof BatchNorm || block instanceof LayerNorm) {
            return null;
        }
        if (block instanceof Linear || block instanceof Convolution) {
            for (var entry : block.getParameters()) {
                Layer layer = byWeight.get(entry.getValue());
                if (layer != null) {
                    layerOf.put(block, layer);
                }
            }
            return null;
        }
        return "a " + block.getClass().getSimpleName() + " with parameters (only Linear, convolution, batch norm and"
                + " layer norm blocks are known to read theirs through the parameter store)";
    }

    private String checkAll(List<Block> blocks, Map<Parameter, Layer> byWeight) {
        for (Block child : blocks) {
            String problem = check(child, byWeight);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** A ParallelBlock's join function, which DJL keeps private (its forward runs the branches whole); null if unreadable. */
    @SuppressWarnings("unchecked")
    private static Function<List<NDList>, NDList> join(ParallelBlock parallel) {
        try {
            Field field = ParallelBlock.class.getDeclaredField("function");
            field.setAccessible(true);
            return (Function<List<NDList>, NDList>) field.get(parallel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Parameters as copies detached from autograd; those without gradients (running statistics) copied outright. */
    private static final class DetachedParameters extends ParameterStore {

        private final NDManager manager;
        private final Map<String, NDArray> copies = new HashMap<>();

        DetachedParameters(NDManager manager) {
            super(manager, false);
            this.manager = manager;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            return copies.computeIfAbsent(parameter.getId(), id -> {
                NDArray value = super.getValue(parameter, device, training);
                // stopGradient shares the storage: the forward pass reads the very values the step used.
                NDArray copy = parameter.requiresGradient() ? value.stopGradient() : value.duplicate();
                copy.attach(manager);
                return copy;
            });
        }
    }
}

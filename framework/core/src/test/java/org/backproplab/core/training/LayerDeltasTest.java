package org.backproplab.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.spi.Layer;
import org.junit.jupiter.api.Test;

/**
 * The deltas on the real engine, after a real training forward and backward pass, as the diagnostics see a step:
 * Σₙ δₙ (over positions too, for a convolution) is autograd's ∂L/∂b of every layer, the output layer's δ is
 * ∂L/∂ŷ by hand, and the gradients and batch norm's running statistics are bit for bit what they were.
 */
class LayerDeltasTest {

    private static final Loss LOSS = Loss.l2Loss(); // mean over every output of the batch of ½(y − t)²

    @Test
    void aResidualNetworkWithBatchNormHasEveryLayersDelta() {
        SequentialBlock f = new SequentialBlock().add(Linear.builder().setUnits(5).build()).add(Activation.reluBlock());
        SequentialBlock network = new SequentialBlock()
                .add(Linear.builder().setUnits(5).build())
                .add(BatchNorm.builder().optAxis(1).build())
                .add(Activation.tanhBlock())
                .add(new ParallelBlock(outputs -> new NDList(outputs.get(0).singletonOrThrow()
                        .add(outputs.get(1).singletonOrThrow())), List.of(f, Blocks.identityBlock())))
                .add(Linear.builder().setUnits(1).build());
        checkStep(network, new Shape(8, 3), new Shape(8, 1), 3);
    }

    @Test
    void aConvolutionalNetworkWithBatchNormHasEveryLayersDelta() {
        SequentialBlock network = new SequentialBlock()
                .add(Conv2d.builder().setFilters(3).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(BatchNorm.builder().optAxis(1).build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build());
        checkStep(network, new Shape(4, 1, 5, 5), new Shape(4, 2), 2);
    }

    @Test
    void aNetworkWithDropoutHasNoDeltasAndSaysWhy() {
        SequentialBlock network = new SequentialBlock().add(Linear.builder().setUnits(4).build())
                .add(Dropout.builder().optRate(0.5f).build()).add(Linear.builder().setUnits(1).build());
        try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
            network.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            LayerDeltas deltas = new LayerDeltas(network, Layers.of(network), LOSS);
            assertThat(deltas.unsupported()).startsWith("a Dropout block");
            assertThat(deltas.compute(manager.ones(new Shape(2, 3)), manager.ones(new Shape(2, 1)), manager)).isEmpty();
        }
    }

    private static void checkStep(Block network, Shape inputShape, Shape targetShape, int layerCount) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager(engine.getEngineName())) {
            network.initialize(manager, DataType.FLOAT32, inputShape);
            NDArray x = manager.randomNormal(inputShape);
            NDArray t = manager.randomNormal(targetShape);
            NDArray y;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                y = network.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(LOSS.evaluate(new NDList(t), new NDList(y)));
            }
            Map<String, float[]> gradientsBefore = new LinkedHashMap<>();
            Map<String, float[]> valuesBefore = new LinkedHashMap<>();
            for (Pair<String, Parameter> entry : network.getParameters()) {
                NDArray array = entry.getValue().getArray();
                valuesBefore.put(entry.getKey(), array.toFloatArray());
                if (array.hasGradient()) {
                    gradientsBefore.put(entry.getKey(), array.getGradient().toFloatArray());
                }
            }
            assertThat(valuesBefore.keySet()).anyMatch(name -> name.endsWith("runningMean"));

            List<Layer> layers = Layers.of(network);
            LayerDeltas deltas = new LayerDeltas(network, layers, LOSS);
            assertThat(deltas.unsupported()).isNull();
            Map<Layer, NDArray> byLayer = deltas.compute(x, t, manager);

            assertThat(byLayer.keySet()).containsExactlyElementsOf(layers).hasSize(layerCount);
            for (Layer layer : layers) {
                NDArray delta = byLayer.get(layer);
                // ∂L/∂b = Σ over the batch (and a convolution's positions) of δ: the bias is added at every one.
                int[] axes = delta.getShape().dimension() == 2 ? new int[] {0} : new int[] {0, 2, 3};
                float[] summed = delta.sum(axes).toFloatArray();
                float[] biasGradient = gradientsBefore.get(nameOf(network, layer.bias().orElseThrow()));
                assertThat(summed).as(layer.name()).containsExactly(biasGradient, within(1e-6f));
            }
            // The output layer's z is ŷ: δ = (ŷ − t)/n for the mean of ½(ŷ − t)² over all n outputs of the batch.
            NDArray expected = y.sub(t).div(y.size());
            assertThat(byLayer.get(layers.get(layers.size() - 1)).toFloatArray())
                    .containsExactly(expected.toFloatArray(), within(1e-7f));

            for (Pair<String, Parameter> entry : network.getParameters()) {
                NDArray array = entry.getValue().getArray();
                assertThat(array.toFloatArray()).as(entry.getKey()).containsExactly(valuesBefore.get(entry.getKey()));
                if (array.hasGradient()) {
                    assertThat(array.getGradient().toFloatArray()).as("gradient of " + entry.getKey())
                            .containsExactly(gradientsBefore.get(entry.getKey()));
                }
            }
        }
    }

    private static String nameOf(Block network, Parameter parameter) {
        for (Pair<String, Parameter> entry : network.getParameters()) {
            if (entry.getValue() == parameter) {
                return entry.getKey();
            }
        }
        throw new AssertionError("no parameter " + parameter.getName());
    }
}

package org.backproplab.plugins.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class SwishMlpModelFactoryTest {

    private static NDArray forward(Block block, NDManager manager, NDArray input) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow();
    }

    @Test
    void swishIsXTimesTheSigmoidOfBetaX() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[] x = {-2f, -1f, 0f, 1f, 3f};
            for (float beta : new float[] {1f, 2.5f}) {
                Block swish = SwishMlpModelFactory.swish(beta, false);
                swish.initialize(manager, DataType.FLOAT32, new Shape(1, x.length));
                float[] y = forward(swish, manager, manager.create(x, new Shape(1, x.length))).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    double expected = x[i] / (1 + Math.exp(-beta * x[i]));
                    assertThat((double) y[i]).as("swish(%s) with beta %s", x[i], beta).isCloseTo(expected, within(1e-6));
                }
            }
        }
    }

    @Test
    void theNetworkMapsInputsToTheDatasetsOutputWidthWithOneWeightPerLayer() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block network = new SwishMlpModelFactory().create(new SwishMlpModelFactory.Parameters(List.of(8, 4), 1.0, false, false),
                    new ModelContext(2, 3, Task.MULTICLASS_CLASSIFICATION));
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            NDArray output = forward(network, manager, manager.randomUniform(-1, 1, new Shape(5, 2)));
            assertThat(output.getShape()).isEqualTo(new Shape(5, 3));
            assertThat(network.getParameters().keys().stream().filter(name -> name.endsWith("weight")))
                    .as("per-layer diagnostics count *weight parameters").hasSize(3);
        }
    }

    @Test
    void anOutputSigmoidGivesProbabilities() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(11);
            Block network = new SwishMlpModelFactory().create(new SwishMlpModelFactory.Parameters(List.of(4), 1.0, true, false),
                    new ModelContext(2, 1, Task.BINARY_CLASSIFICATION));
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            float[] output = forward(network, manager, manager.randomUniform(-10, 10, new Shape(50, 2))).toFloatArray();
            assertThat(output).hasSize(50);
            // Inputs this large drive some outputs into saturation: in float32 that is exactly 0 or 1.
            for (float value : output) {
                assertThat(value).isBetween(0f, 1f);
            }
        }
    }
}

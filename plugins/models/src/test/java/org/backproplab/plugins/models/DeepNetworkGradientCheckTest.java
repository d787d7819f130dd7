package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

/**
 * Autograd through the new building blocks (skip connections, batch norm, convolutions, pooling)
 * against central finite differences, for every trainable parameter of tiny networks in float64.
 */
class DeepNetworkGradientCheckTest {

    @Test
    void residualMlp() {
        check(MlpSpec.hidden(4, 4, 4).activation(ActivationFunction.TANH).residual().build(), null, new Shape(3), 9);
    }

    @Test
    void residualMlpWithBatchNormAndSelu() {
        check(MlpSpec.hidden(4, 4).activation(ActivationFunction.SELU).residual().batchNorm().build(), null, new Shape(3), 10);
    }

    @Test
    void cnnWithBatchNormAndMaxPooling() {
        CnnModelFactory.Parameters cnn = CnnSpec.defaults().channels(2, 3).activation(ActivationFunction.TANH).batchNorm().dense(4).build();
        check(null, cnn, new Shape(1, 6, 6), 12);
    }

    @Test
    void cnnWithStridesAndAveragePooling() {
        CnnModelFactory.Parameters cnn = CnnSpec.defaults().channels(3).kernels(3).strides(2).padding(0)
                .pool(CnnModelFactory.Pooling.AVG, 2).activation(ActivationFunction.ELU).dense().build();
        check(null, cnn, new Shape(2, 9, 9), 13);
    }

    private static void check(MlpModelFactory.Parameters mlp, CnnModelFactory.Parameters cnn, Shape example, int seed) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(seed);
            ModelContext context = new ModelContext(example, 2, Task.REGRESSION);
            Block block = mlp != null ? new MlpModelFactory().create(mlp, context) : new CnnModelFactory().create(cnn, context);
            Shape batch = new Shape(5).addAll(example);
            block.initialize(manager, DataType.FLOAT64, batch);
            NDArray input = manager.randomNormal(0, 1, batch, DataType.FLOAT64);
            NDArray target = manager.randomNormal(0, 1, new Shape(5, 2), DataType.FLOAT64);
            double largest = new GradientCheck(block, manager, input, target).assertAutogradMatchesFiniteDifferences();
            assertThat(largest).isGreaterThan(1e-3);
        }
    }
}

package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.backproplab.plugins.models.MlpModelFactoryTest.forward;
import static org.backproplab.plugins.models.MlpModelFactoryTest.weightShapes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class CnnModelFactoryTest {

    static final ModelContext FASHION = new ModelContext(new Shape(1, 28, 28), 10, Task.MULTICLASS_CLASSIFICATION);

    @Test
    void theDefaultsAreASmallTwoBlockCnn() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block network = new CnnModelFactory().create(CnnSpec.defaults().build(), FASHION);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            // 3x3 "same" convolutions, 2x2 max pooling: 28 -> 14 -> 7, so 64·7·7 = 3136 features into the dense layer.
            assertThat(weightShapes(network)).containsExactly(
                    new Shape(32, 1, 3, 3), new Shape(64, 32, 3, 3), new Shape(128, 3136), new Shape(10, 128));
            long parameters = network.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(parameters).isEqualTo((32 * 9 + 32) + (64 * 32 * 9 + 64) + (3136 * 128 + 128) + (128 * 10 + 10));
            NDArray images = manager.randomUniform(0, 1, new Shape(5, 1, 28, 28));
            assertThat(forward(network, manager, images, false).getShape()).isEqualTo(new Shape(5, 10));
        }
    }

    @Test
    void stridesPaddingAndPoolingSetTheFeatureMapSize() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // 28 -(k5, s1, p0)-> 24 -(pool 3)-> 8 -(k3, s2, p1)-> 4 -(pool 3)-> 1.
            CnnModelFactory.Parameters parameters = CnnSpec.defaults().channels(4, 6).kernels(5, 3).strides(1, 2).padding(0, 1)
                    .pool(CnnModelFactory.Pooling.AVG, 3).dense().build();
            Block network = new CnnModelFactory().create(parameters, FASHION);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(weightShapes(network)).containsExactly(new Shape(4, 1, 5, 5), new Shape(6, 4, 3, 3), new Shape(10, 6));
            Block noPooling = new CnnModelFactory().create(CnnSpec.defaults().channels(2).pool(CnnModelFactory.Pooling.NONE, 2).dense()
                    .build(), FASHION);
            noPooling.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(weightShapes(noPooling)).containsExactly(new Shape(2, 1, 3, 3), new Shape(10, 2 * 28 * 28));
        }
    }

    @Test
    void maxAndAveragePoolingDoWhatTheySay() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.arange(16f).reshape(1, 1, 4, 4);
            float[] max = forward(pool(CnnModelFactory.Pooling.MAX), manager, x, false).toFloatArray();
            float[] avg = forward(pool(CnnModelFactory.Pooling.AVG), manager, x, false).toFloatArray();
            assertThat(max).containsExactly(5f, 7f, 13f, 15f);
            assertThat(avg).containsExactly(2.5f, 4.5f, 10.5f, 12.5f);
        }
    }

    @Test
    void batchNormFollowsEachConvolutionAndDropoutEachDenseLayer() {
        Block network = new CnnModelFactory().create(CnnSpec.defaults().batchNorm().dropout(0.5).build(), FASHION);
        List<String> kinds = ((SequentialBlock) network).getChildren().values().stream()
                .map(block -> block instanceof LambdaBlock lambda ? lambda.getName() : block.getClass().getSimpleName()).toList();
        assertThat(kinds).containsExactly("Conv2d", "BatchNorm", "ReLU", "maxPool2d", "Conv2d", "BatchNorm", "ReLU",
                "maxPool2d", "batchFlatten", "Linear", "ReLU", "Dropout", "Linear");
    }

    @Test
    void convolutionsGetTheirInitialisationWithFanInOverTheKernel() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(11);
            Block network = new CnnModelFactory().create(CnnSpec.defaults().init(WeightInitialization.HE).build(), FASHION);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Parameter second = MlpModelFactoryTest.weights(network).get(1);
            assertThat(MlpModelFactoryTest.std(second.getArray().toFloatArray()))
                    .isCloseTo(Math.sqrt(2.0 / (32 * 9)), Percentage.withPercentage(3));
        }
    }

    @Test
    void inputsThatAreNotImagesOrTooSmallAreClearErrors() {
        assertThatThrownBy(() -> new CnnModelFactory().create(CnnSpec.defaults().build(), new ModelContext(784, 10, Task.MULTICLASS_CLASSIFICATION)))
                .isInstanceOf(ComponentException.class)
                .hasMessage("model cnn needs images shaped [channels, height, width], but the dataset's examples are (784); use mlp for vectors");
        assertThatThrownBy(() -> new CnnModelFactory().create(CnnSpec.defaults().channels(8, 8, 8, 8, 8).build(), FASHION))
                .isInstanceOf(ComponentException.class)
                .hasMessage("model cnn: conv block 5 (kernel 3, stride 1, padding 1, pool 2) leaves no feature map of the 28x28 input; "
                        + "use fewer conv blocks, smaller kernels, strides or pooling, or more padding");
    }

    @Test
    void perBlockListsHaveOneValueOrOnePerBlock() {
        assertThat(CnnSpec.defaults().channels(8, 16).kernels(5).build().isPerBlockListsSized()).isTrue();
        assertThat(CnnSpec.defaults().channels(8, 16).kernels(5, 3).strides(1, 1).padding(2, 1).build().isPerBlockListsSized()).isTrue();
        assertThat(CnnSpec.defaults().channels(8, 16, 32).kernels(5, 3).build().isPerBlockListsSized()).isFalse();
        assertThat(CnnSpec.defaults().channels(8, 16, 32).padding(1, 1).build().isPerBlockListsSized()).isFalse();
    }

    private static Block pool(CnnModelFactory.Pooling pooling) {
        Block network = new CnnModelFactory().create(CnnSpec.defaults().channels(1).pool(pooling, 2).build(), FASHION);
        return ((SequentialBlock) network).getChildren().values().get(2);
    }
}

package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class MlpModelFactoryTest {

    private static final ModelContext VECTORS = new ModelContext(8, 4, Task.REGRESSION);

    @Test
    void depthAndWidthBuildTheSameLayersAsAHiddenList() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block byDepth = create(MlpSpec.depth(3, 16).activation(ActivationFunction.TANH).init(WeightInitialization.HE), VECTORS);
            byDepth.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            assertThat(weightShapes(byDepth)).containsExactly(new Shape(16, 8), new Shape(16, 16), new Shape(16, 16), new Shape(4, 16));
            assertThat(byDepth.getOutputShapes(new Shape[] {new Shape(5, 8)})[0]).isEqualTo(new Shape(5, 4));
        }
    }

    @Test
    void shapeMustBeGivenExactlyOnce() {
        MlpModelFactory.Parameters both = new MlpModelFactory.Parameters(List.of(4), 2, 8, ActivationFunction.RELU,
                WeightInitialization.DEFAULT, 0.01, 0.01, 1.0, false, 0, false, MlpModelFactory.OutputActivation.NONE);
        assertThat(MlpSpec.hidden(4).build().isShapeGivenOnce()).isTrue();
        assertThat(MlpSpec.depth(2, 8).build().isShapeGivenOnce()).isTrue();
        assertThat(both.isShapeGivenOnce()).isFalse();
        assertThat(new MlpModelFactory.Parameters(null, 2, null, ActivationFunction.RELU, WeightInitialization.DEFAULT, 0.01, 0.01,
                1.0, false, 0, false, MlpModelFactory.OutputActivation.NONE).isShapeGivenOnce()).isFalse();
    }

    @Test
    void imagesAreFlattenedFirst() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block network = create(MlpSpec.hidden(32), new ModelContext(new Shape(1, 28, 28), 10, Task.MULTICLASS_CLASSIFICATION));
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(weightShapes(network)).containsExactly(new Shape(32, 784), new Shape(10, 32));
            NDArray images = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));
            assertThat(forward(network, manager, images, false).getShape()).isEqualTo(new Shape(3, 10));
        }
    }

    @Test
    void initialisationsHaveTheirPublishedScale() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(3);
            // One wide layer: 400 inputs -> 400 units, so sample statistics are tight.
            assertThat(firstWeightStd(manager, MlpSpec.hidden(400).init(WeightInitialization.HE)))
                    .isCloseTo(Math.sqrt(2.0 / 400), Percentage.withPercentage(3));
            // Glorot uniform on ±√(6/(in+out)) has std √(2/(in+out)).
            assertThat(firstWeightStd(manager, MlpSpec.hidden(400).init(WeightInitialization.XAVIER)))
                    .isCloseTo(Math.sqrt(2.0 / 800), Percentage.withPercentage(3));
            assertThat(firstWeightStd(manager, MlpSpec.hidden(400).init(WeightInitialization.NORMAL).std(0.05)))
                    .isCloseTo(0.05, Percentage.withPercentage(3));
            assertThat(firstWeightStd(manager, MlpSpec.hidden(400).init(WeightInitialization.LECUN_NORMAL)))
                    .isCloseTo(Math.sqrt(1.0 / 400), Percentage.withPercentage(3));
            // SELU's default is LeCun normal, every other activation's He normal.
            assertThat(firstWeightStd(manager, MlpSpec.hidden(400).activation(ActivationFunction.SELU)))
                    .isCloseTo(Math.sqrt(1.0 / 400), Percentage.withPercentage(3));
            assertThat(firstWeightStd(manager, MlpSpec.hidden(400).activation(ActivationFunction.ELU)))
                    .isCloseTo(Math.sqrt(2.0 / 400), Percentage.withPercentage(3));
        }
    }

    @Test
    void initialisationReachesLayersInsideResidualBlocks() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(4);
            Block network = create(MlpSpec.hidden(400, 400).residual().init(WeightInitialization.NORMAL).std(0.05),
                    new ModelContext(400, 1, Task.REGRESSION));
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 400));
            assertThat(std(weights(network).get(1).getArray().toFloatArray())).isCloseTo(0.05, Percentage.withPercentage(3));
        }
    }

    @Test
    void eluAndSeluComputeTheirDefinitions() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.create(new float[] {-2f, -0.5f, 0f, 1.5f});
            float[] elu = forward(ActivationFunction.ELU.block(0.01f, 0.7f), manager, x, false).toFloatArray();
            float[] selu = forward(ActivationFunction.SELU.block(0.01f, 1f), manager, x, false).toFloatArray();
            double alpha = 1.6732632423543772;
            double lambda = 1.0507009873554805;
            double[] inputs = {-2, -0.5, 0, 1.5};
            for (int i = 0; i < inputs.length; i++) {
                double z = inputs[i];
                assertThat((double) elu[i]).isCloseTo(z > 0 ? z : 0.7 * Math.expm1(z), within(1e-6));
                assertThat((double) selu[i]).isCloseTo(lambda * (z > 0 ? z : alpha * Math.expm1(z)), within(1e-6));
            }
        }
    }

    @Test
    void batchNormStandardisesEachUnitOnTheBatchAndUsesRunningStatisticsInEvaluation() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(5);
            Block network = create(MlpSpec.hidden(6).batchNorm(), VECTORS);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            // Linear, BatchNorm, ReLU, Linear: batch norm is no weight layer of its own for the diagnostics.
            assertThat(weights(network)).hasSize(2);
            List<Block> children = ((SequentialBlock) network).getChildren().values();
            assertThat(children.get(1).getClass().getSimpleName()).isEqualTo("BatchNorm");
            NDArray x = manager.randomNormal(3, 2, new Shape(256, 8), DataType.FLOAT32);
            NDArray linear = forward(children.get(0), manager, x, true);
            NDArray normalised = forward(children.get(1), manager, linear, true);
            float[] means = normalised.mean(new int[] {0}).toFloatArray();
            float[] variances = normalised.sub(normalised.mean(new int[] {0})).square().mean(new int[] {0}).toFloatArray();
            for (int unit = 0; unit < 6; unit++) {
                assertThat(means[unit]).isCloseTo(0f, within(1e-4f));
                assertThat(variances[unit]).isCloseTo(1f, within(1e-3f));
            }
            // In evaluation the running averages replace the batch's statistics: the output differs.
            NDArray evaluated = forward(children.get(1), manager, linear, false);
            assertThat(evaluated.sub(normalised).abs().max().getFloat()).isGreaterThan(0.1f);
        }
    }

    @Test
    void dropoutZeroesUnitsInTrainingAndIsOffInEvaluation() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(6);
            Block network = create(MlpSpec.hidden(1000).activation(ActivationFunction.SIGMOID).dropout(0.4), VECTORS);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            List<Block> children = ((SequentialBlock) network).getChildren().values();
            NDArray x = manager.randomNormal(new Shape(4, 8));
            NDArray activated = forward(children.get(1), manager, forward(children.get(0), manager, x, true), true);
            NDArray dropped = forward(children.get(2), manager, activated, true);
            // Sigmoid outputs are never 0, so every zero is a dropped unit; the survivors are scaled by 1 / (1 - rate).
            double zeros = dropped.eq(0).countNonzero().getLong() / (double) dropped.size();
            assertThat(zeros).isCloseTo(0.4, within(0.04));
            NDArray kept = dropped.sub(activated.mul(manager.create(1 / 0.6f))).abs().mul(dropped.neq(0));
            assertThat(kept.max().getFloat()).isLessThan(1e-5f);
            assertThat(forward(children.get(2), manager, activated, false).sub(activated).abs().max().getFloat()).isZero();
            // The whole network is deterministic in evaluation and random in training.
            NDArray first = forward(network, manager, x, false);
            assertThat(forward(network, manager, x, false).sub(first).abs().max().getFloat()).isZero();
            assertThat(forward(network, manager, x, true).sub(forward(network, manager, x, true)).abs().max().getFloat()).isPositive();
        }
    }

    @Test
    void residualLayersAddTheirInputAndAZeroWeightLayerIsTheIdentity() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(8);
            Block network = create(MlpSpec.hidden(5, 5, 5).activation(ActivationFunction.TANH).residual(), VECTORS);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            // Input projection (Linear, tanh), two residual blocks, output Linear: four weight layers in block order.
            List<Block> children = ((SequentialBlock) network).getChildren().values();
            assertThat(children).hasSize(5);
            assertThat(weightShapes(network)).containsExactly(new Shape(5, 8), new Shape(5, 5), new Shape(5, 5), new Shape(4, 5));
            Block residual = children.get(2);
            NDArray x = manager.randomNormal(new Shape(3, 5));
            NDArray y = forward(residual, manager, x, false);
            NDArray branch = x.matMul(weights(residual).get(0).getArray().transpose()).add(biases(residual).get(0).getArray()).tanh();
            assertThat(y.sub(x.add(branch)).abs().max().getFloat()).isLessThan(1e-6f);
            // tanh(0·x + 0) = 0: with zero weights and bias the block passes its input through.
            for (Pair<String, Parameter> parameter : residual.getParameters()) {
                parameter.getValue().getArray().set(parameter.getValue().getArray().zerosLike().toFloatArray());
            }
            assertThat(forward(residual, manager, x, false).sub(x).abs().max().getFloat()).isZero();
        }
    }

    @Test
    void residualNeedsEqualWidthsAfterTheFirstLayer() {
        assertThat(MlpSpec.hidden(64, 32, 32).residual().build().isResidualShapeValid()).isFalse();
        assertThat(MlpSpec.hidden(64, 32, 32).build().isResidualShapeValid()).isTrue();
        assertThat(MlpSpec.hidden(784, 32, 32).residual().build().isResidualShapeValid()).isFalse();
        assertThat(MlpSpec.hidden(32, 32, 32).residual().build().isResidualShapeValid()).isTrue();
        assertThatThrownBy(() -> create(MlpSpec.hidden(16, 16, 8).residual(), VECTORS))
                .isInstanceOf(ComponentException.class)
                .hasMessage("model mlp: residual: true needs equal hidden widths, but hidden layer 3 has 8 units after 16 "
                        + "(hidden [16, 16, 8])");
    }

    @Test
    void aPlainNetworkKeepsItsBlocksAndParameterNames() {
        // No batch norm, dropout or residual: exactly the Linear/activation pairs of before, so old runs reproduce.
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block network = create(MlpSpec.hidden(4, 4), VECTORS);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            assertThat(network.getParameters().keys()).containsExactly(
                    "01Linear_weight", "01Linear_bias", "03Linear_weight", "03Linear_bias", "05Linear_weight", "05Linear_bias");
        }
    }

    private static Block create(MlpSpec spec, ModelContext context) {
        return new MlpModelFactory().create(spec.build(), context);
    }

    static NDArray forward(Block block, NDManager manager, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    static List<Parameter> weights(Block block) {
        return block.getParameters().values().stream().filter(p -> p.getType() == Parameter.Type.WEIGHT).toList();
    }

    private static List<Parameter> biases(Block block) {
        return block.getParameters().values().stream().filter(p -> p.getType() == Parameter.Type.BIAS).toList();
    }

    static List<Shape> weightShapes(Block block) {
        return weights(block).stream().map(p -> p.getArray().getShape()).toList();
    }

    private static double firstWeightStd(NDManager manager, MlpSpec spec) {
        Block block = create(spec, new ModelContext(400, 1, Task.REGRESSION));
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 400));
        return std(weights(block).get(0).getArray().toFloatArray());
    }

    static double std(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double variance = 0;
        for (float v : values) {
            variance += (v - mean) * (v - mean);
        }
        return Math.sqrt(variance / values.length);
    }
}

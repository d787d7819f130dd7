package org.backproplab.plugins.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class LossFactoriesTest {

    private static double value(LossFunction loss, NDArray target, NDArray output) {
        return loss.loss().evaluate(new NDList(target), new NDList(output)).getFloat();
    }

    @Test
    void squaredErrorIsHalfTheSumOverOutputsAveragedOrSummedOverTheBatch() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray output = manager.create(new float[] {1, 2, 3, 5}, new Shape(2, 2));
            NDArray target = manager.create(new float[] {0, 0, 3, 3}, new Shape(2, 2));
            // per example: ½(1 + 4) = 2.5 and ½(0 + 4) = 2
            var factory = new MeanSquaredErrorFactory();
            var mean = factory.create(new MeanSquaredErrorFactory.Parameters(true, MeanSquaredErrorFactory.Reduction.MEAN), Task.REGRESSION);
            var sum = factory.create(new MeanSquaredErrorFactory.Parameters(true, MeanSquaredErrorFactory.Reduction.SUM), Task.REGRESSION);
            var full = factory.create(new MeanSquaredErrorFactory.Parameters(false, MeanSquaredErrorFactory.Reduction.MEAN), Task.REGRESSION);
            assertThat(value(mean, target, output)).isCloseTo(2.25, within(1e-6));
            assertThat(value(sum, target, output)).isCloseTo(4.5, within(1e-6));
            assertThat(value(full, target, output)).isCloseTo(4.5, within(1e-6));
        }
    }

    @Test
    void squaredErrorPredictsBinaryLabelsAgainstOneHalf() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            var mse = new MeanSquaredErrorFactory().create(
                    new MeanSquaredErrorFactory.Parameters(true, MeanSquaredErrorFactory.Reduction.MEAN), Task.BINARY_CLASSIFICATION);
            NDArray labels = mse.predictLabels(manager.create(new float[] {0.1f, 0.49f, 0.51f, 0.9f}, new Shape(4, 1)));
            assertThat(labels.toFloatArray()).containsExactly(0, 0, 1, 1);
        }
    }

    @Test
    void softmaxCrossEntropyMatchesItsDefinitionAndPredictsTheArgmax() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            LossFunction loss = new SoftmaxCrossEntropyFactory().create(new NoParameters(), Task.MULTICLASS_CLASSIFICATION);
            NDArray logits = manager.create(new float[] {2, 0, 0, 0, 0, 3}, new Shape(2, 3));
            NDArray labels = manager.create(new float[] {0, 1}, new Shape(2, 1));
            double first = -Math.log(Math.exp(2) / (Math.exp(2) + 2));
            double second = -Math.log(1 / (2 + Math.exp(3)));
            assertThat(value(loss, labels, logits)).isCloseTo((first + second) / 2, within(1e-5));
            assertThat(loss.predictLabels(logits).toLongArray()).containsExactly(0, 2);
        }
    }

    @Test
    void binaryCrossEntropyWorksOnLogits() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            LossFunction loss = new BinaryCrossEntropyFactory().create(new NoParameters(), Task.BINARY_CLASSIFICATION);
            NDArray logits = manager.create(new float[] {0f, 2f}, new Shape(2, 1));
            NDArray labels = manager.create(new float[] {1f, 0f}, new Shape(2, 1));
            double expected = (Math.log(2) + Math.log(1 + Math.exp(2))) / 2;
            assertThat(value(loss, labels, logits)).isCloseTo(expected, within(1e-5));
            assertThat(loss.predictLabels(manager.create(new float[] {-0.1f, 0.1f}, new Shape(2, 1))).toFloatArray()).containsExactly(0, 1);
        }
    }

    @Test
    void classificationLossesRefuseTheWrongTask() {
        assertThatThrownBy(() -> new SoftmaxCrossEntropyFactory().create(new NoParameters(), Task.REGRESSION))
                .isInstanceOf(ComponentException.class).hasMessageContaining("multiclass");
        assertThatThrownBy(() -> new BinaryCrossEntropyFactory().create(new NoParameters(), Task.MULTICLASS_CLASSIFICATION))
                .isInstanceOf(ComponentException.class).hasMessageContaining("binary classification");
    }
}

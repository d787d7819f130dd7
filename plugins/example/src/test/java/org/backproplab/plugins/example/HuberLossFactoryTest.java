package org.backproplab.plugins.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class HuberLossFactoryTest {

    private static LossFunction huber(double delta, Task task) {
        return new HuberLossFactory().create(new HuberLossFactory.Parameters(delta), task);
    }

    private static double value(LossFunction loss, NDArray target, NDArray output) {
        return loss.loss().evaluate(new NDList(target), new NDList(output)).getFloat();
    }

    @Test
    void quadraticUpToDeltaAndLinearBeyond() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray output = manager.create(new float[] {0.5f, 3f, -2f, 0f}, new Shape(4, 1));
            NDArray target = manager.zeros(new Shape(4, 1));
            // δ = 1: ½·0.25, 1·(3 − ½), 1·(2 − ½), 0 → mean 1.03125
            assertThat(value(huber(1.0, Task.REGRESSION), target, output)).isCloseTo(1.03125, within(1e-6));
            // δ = 2: ½·0.25, 2·(3 − 1), ½·4, 0 → mean 1.53125
            assertThat(value(huber(2.0, Task.REGRESSION), target, output)).isCloseTo(1.53125, within(1e-6));
        }
    }

    @Test
    void sumsOverOutputsAndAveragesOverTheBatch() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray output = manager.create(new float[] {1f, 1f, 0f, 4f}, new Shape(2, 2));
            NDArray target = manager.create(new float[] {0f, 0f, 0f, 0f}, new Shape(2, 2));
            // example 1: ½ + ½ = 1; example 2: 0 + (4 − ½) = 3.5 → mean 2.25
            assertThat(value(huber(1.0, Task.REGRESSION), target, output)).isCloseTo(2.25, within(1e-6));
        }
    }

    @Test
    void itsGradientIsTheErrorClippedToDelta() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray output = manager.create(new float[] {0.5f, 3f, -2f, 0f}, new Shape(4, 1));
            output.setRequiresGradient(true);
            NDArray target = manager.zeros(new Shape(4, 1));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(huber(1.0, Task.REGRESSION).loss().evaluate(new NDList(target), new NDList(output)));
            }
            assertThat(output.getGradient().toFloatArray()).containsExactly(new float[] {0.125f, 0.25f, -0.25f, 0f}, within(1e-6f));
        }
    }

    @Test
    void binaryLabelsArePredictedAgainstOneHalf() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray labels = huber(1.0, Task.BINARY_CLASSIFICATION)
                    .predictLabels(manager.create(new float[] {0.1f, 0.49f, 0.51f, 1.3f}, new Shape(4, 1)));
            assertThat(labels.toFloatArray()).containsExactly(0, 0, 1, 1);
        }
    }

    @Test
    void multiclassClassificationIsRefusedWithAnAlternative() {
        assertThatThrownBy(() -> huber(1.0, Task.MULTICLASS_CLASSIFICATION))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("huber needs a regression or binary classification dataset")
                .hasMessageContaining("softmax_cross_entropy");
    }
}

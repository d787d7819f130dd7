package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class MlpModelFactoryTest {

    private static MlpModelFactory.Parameters shape(List<Integer> hidden, Integer depth, Integer width, WeightInitialization init) {
        return new MlpModelFactory.Parameters(hidden, depth, width, ActivationFunction.TANH, init, 0.05, 0.01,
                MlpModelFactory.OutputActivation.NONE);
    }

    @Test
    void depthAndWidthBuildTheSameLayersAsAHiddenList() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block byDepth = new MlpModelFactory().create(shape(null, 3, 16, WeightInitialization.HE), new ModelContext(8, 4, Task.REGRESSION));
            byDepth.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
            List<Shape> weightShapes = byDepth.getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT).map(p -> p.getArray().getShape()).toList();
            assertThat(weightShapes).containsExactly(new Shape(16, 8), new Shape(16, 16), new Shape(16, 16), new Shape(4, 16));
            assertThat(byDepth.getOutputShapes(new Shape[] {new Shape(5, 8)})[0]).isEqualTo(new Shape(5, 4));
        }
    }

    @Test
    void shapeMustBeGivenExactlyOnce() {
        assertThat(shape(List.of(4), null, null, WeightInitialization.DEFAULT).isShapeGivenOnce()).isTrue();
        assertThat(shape(null, 2, 8, WeightInitialization.DEFAULT).isShapeGivenOnce()).isTrue();
        assertThat(shape(List.of(4), 2, 8, WeightInitialization.DEFAULT).isShapeGivenOnce()).isFalse();
        assertThat(shape(null, 2, null, WeightInitialization.DEFAULT).isShapeGivenOnce()).isFalse();
        assertThat(shape(null, null, null, WeightInitialization.DEFAULT).isShapeGivenOnce()).isFalse();
    }

    @Test
    void initialisationsHaveTheirPublishedScale() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(3);
            // One wide layer: 400 inputs -> 400 units, so sample statistics are tight.
            double heStd = firstWeightStd(manager, WeightInitialization.HE);
            double xavierStd = firstWeightStd(manager, WeightInitialization.XAVIER);
            double normalStd = firstWeightStd(manager, WeightInitialization.NORMAL);
            assertThat(heStd).isCloseTo(Math.sqrt(2.0 / 400), org.assertj.core.data.Percentage.withPercentage(3));
            // Glorot uniform on ±√(6/(in+out)) has std √(2/(in+out)).
            assertThat(xavierStd).isCloseTo(Math.sqrt(2.0 / 800), org.assertj.core.data.Percentage.withPercentage(3));
            assertThat(normalStd).isCloseTo(0.05, org.assertj.core.data.Percentage.withPercentage(3));
        }
    }

    private static double firstWeightStd(NDManager manager, WeightInitialization init) {
        Block block = new MlpModelFactory().create(shape(List.of(400), null, null, init), new ModelContext(400, 1, Task.REGRESSION));
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 400));
        float[] values = block.getParameters().values().get(0).getArray().toFloatArray();
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

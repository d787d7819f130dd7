package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

/**
 * DJL's autograd on the seed-002 network (2-2-1, sigmoid hidden and output, L = ½Σ(y − t)² over the
 * four XOR points) against the closed-form recursions δ² = (y − t)·σ′(z²), ∂L/∂W² = δ²·a¹ᵀ,
 * δ¹ = (W²)ᵀδ² ⊙ σ′(z¹), ∂L/∂W¹ = δ¹·xᵀ, and against central finite differences. Runs in float64
 * so the finite differences are accurate far below the 1e-4 tolerance.
 */
class MlpGradientCheckTest {

    private static final double[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final double[] T = {0, 1, 1, 0};
    private static final double TOLERANCE = 1e-4;

    @Test
    void autogradEqualsClosedFormRecursionsAndFiniteDifferences() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(7);
            MlpModelFactory factory = new MlpModelFactory();
            MlpModelFactory.Parameters parameters = new MlpModelFactory.Parameters(List.of(2), null, null,
                    ActivationFunction.SIGMOID, WeightInitialization.XAVIER, 0.01, 0.01, MlpModelFactory.OutputActivation.SIGMOID);
            Block block = factory.create(parameters, new ModelContext(2, 1, Task.BINARY_CLASSIFICATION));
            block.initialize(manager, DataType.FLOAT64, new Shape(4, 2));
            List<Parameter> weights = new ArrayList<>();
            List<Parameter> biases = new ArrayList<>();
            block.getParameters().values().forEach(p -> (p.getType() == Parameter.Type.WEIGHT ? weights : biases).add(p));
            assertThat(weights).hasSize(2);
            assertThat(biases).hasSize(2);

            NDArray input = manager.create(flatten(X), new Shape(4, 2));
            NDArray target = manager.create(T, new Shape(4, 1));
            double[][] autograd = new double[4][];
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(loss(block, manager, input, target));
            }
            List<Parameter> all = List.of(weights.get(0), biases.get(0), weights.get(1), biases.get(1));
            for (int i = 0; i < all.size(); i++) {
                try (NDArray gradient = all.get(i).getArray().getGradient()) {
                    autograd[i] = gradient.toDoubleArray();
                }
            }

            ClosedForm closedForm = new ClosedForm(
                    weights.get(0).getArray().toDoubleArray(), biases.get(0).getArray().toDoubleArray(),
                    weights.get(1).getArray().toDoubleArray(), biases.get(1).getArray().toDoubleArray());
            assertClose(autograd[0], closedForm.dW1, "dL/dW1");
            assertClose(autograd[1], closedForm.db1, "dL/db1");
            assertClose(autograd[2], closedForm.dW2, "dL/dW2");
            assertClose(autograd[3], closedForm.db2, "dL/db2");

            for (int i = 0; i < all.size(); i++) {
                assertClose(autograd[i], finiteDifferences(block, manager, input, target, all.get(i)), "finite differences " + i);
            }
            // The check must be able to fail: the gradients are not trivially zero.
            assertThat(java.util.Arrays.stream(closedForm.dW1).map(Math::abs).max().orElseThrow()).isGreaterThan(1e-6);
        }
    }

    private static NDArray loss(Block block, NDManager manager, NDArray input, NDArray target) {
        NDArray output = block.forward(new ParameterStore(manager, false), new NDList(input), true).singletonOrThrow();
        // ½ as an array: DJL frees the temporary of mul(Number) before backward reads it.
        return output.sub(target).square().sum().mul(manager.create(0.5));
    }

    private static double[] finiteDifferences(Block block, NDManager manager, NDArray input, NDArray target, Parameter parameter) {
        double epsilon = 1e-6;
        NDArray array = parameter.getArray();
        double[] values = array.toDoubleArray();
        Shape shape = array.getShape();
        double[] gradient = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            NDIndex index = shape.dimension() == 2 ? new NDIndex(i / shape.get(1), i % shape.get(1)) : new NDIndex(i);
            array.set(index, values[i] + epsilon);
            double plus = loss(block, manager, input, target).getDouble();
            array.set(index, values[i] - epsilon);
            double minus = loss(block, manager, input, target).getDouble();
            array.set(index, values[i]);
            gradient[i] = (plus - minus) / (2 * epsilon);
        }
        return gradient;
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            double scale = Math.max(Math.max(Math.abs(actual[i]), Math.abs(expected[i])), 1e-8);
            assertThat(Math.abs(actual[i] - expected[i]) / scale).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }

    private static double[] flatten(double[][] rows) {
        double[] flat = new double[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return flat;
    }

    /** Seed 002's recursions, summed over the four examples; DJL stores W as [out][in]. */
    private static final class ClosedForm {
        final double[] dW1 = new double[4];
        final double[] db1 = new double[2];
        final double[] dW2 = new double[2];
        final double[] db2 = new double[1];

        ClosedForm(double[] w1, double[] b1, double[] w2, double[] b2) {
            for (int n = 0; n < X.length; n++) {
                double[] x = X[n];
                double[] a1 = new double[2];
                for (int j = 0; j < 2; j++) {
                    a1[j] = sigmoid(w1[j * 2] * x[0] + w1[j * 2 + 1] * x[1] + b1[j]);
                }
                double y = sigmoid(w2[0] * a1[0] + w2[1] * a1[1] + b2[0]);
                double delta2 = (y - T[n]) * y * (1 - y);
                for (int j = 0; j < 2; j++) {
                    dW2[j] += delta2 * a1[j];
                }
                db2[0] += delta2;
                for (int j = 0; j < 2; j++) {
                    double delta1 = w2[j] * delta2 * a1[j] * (1 - a1[j]);
                    dW1[j * 2] += delta1 * x[0];
                    dW1[j * 2 + 1] += delta1 * x[1];
                    db1[j] += delta1;
                }
            }
        }

        private static double sigmoid(double z) {
            return 1 / (1 + Math.exp(-z));
        }
    }
}

package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
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

    @Test
    void autogradEqualsClosedFormRecursionsAndFiniteDifferences() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(7);
            MlpModelFactory.Parameters parameters = MlpSpec.hidden(2).activation(ActivationFunction.SIGMOID)
                    .init(WeightInitialization.XAVIER).outputActivation(MlpModelFactory.OutputActivation.SIGMOID).build();
            Block block = new MlpModelFactory().create(parameters, new ModelContext(2, 1, Task.BINARY_CLASSIFICATION));
            block.initialize(manager, DataType.FLOAT64, new Shape(4, 2));
            List<Parameter> weights = new ArrayList<>();
            List<Parameter> biases = new ArrayList<>();
            block.getParameters().values().forEach(p -> (p.getType() == Parameter.Type.WEIGHT ? weights : biases).add(p));
            assertThat(weights).hasSize(2);
            assertThat(biases).hasSize(2);

            NDArray input = manager.create(flatten(X), new Shape(4, 2));
            NDArray target = manager.create(T, new Shape(4, 1));
            GradientCheck check = new GradientCheck(block, manager, input, target);
            List<Parameter> all = List.of(weights.get(0), biases.get(0), weights.get(1), biases.get(1));
            double[][] autograd = check.autograd(all);

            ClosedForm closedForm = new ClosedForm(
                    weights.get(0).getArray().toDoubleArray(), biases.get(0).getArray().toDoubleArray(),
                    weights.get(1).getArray().toDoubleArray(), biases.get(1).getArray().toDoubleArray());
            GradientCheck.assertClose(autograd[0], closedForm.dW1, "dL/dW1");
            GradientCheck.assertClose(autograd[1], closedForm.db1, "dL/db1");
            GradientCheck.assertClose(autograd[2], closedForm.dW2, "dL/dW2");
            GradientCheck.assertClose(autograd[3], closedForm.db2, "dL/db2");

            for (int i = 0; i < all.size(); i++) {
                GradientCheck.assertClose(autograd[i], check.finiteDifferences(all.get(i)), "finite differences " + i);
            }
            // The check must be able to fail: the gradients are not trivially zero.
            assertThat(java.util.Arrays.stream(closedForm.dW1).map(Math::abs).max().orElseThrow()).isGreaterThan(1e-6);
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

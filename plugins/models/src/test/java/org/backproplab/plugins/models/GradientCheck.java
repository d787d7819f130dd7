package org.backproplab.plugins.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Autograd against central finite differences of L = ½Σ(y − t)², in float64 so the differences are
 * accurate far below the tolerance. Forward passes run in training mode (batch norm on batch
 * statistics), which is what backpropagation differentiates.
 */
final class GradientCheck {

    static final double EPSILON = 1e-6;
    /**
     * Relative tolerance, with an absolute floor for gradients that are truly zero (a bias before
     * batch norm): there the differences are rounding noise, about 1e-16 · L / ε.
     */
    static final double RELATIVE = 1e-4;
    static final double ABSOLUTE = 1e-7;

    private final Block block;
    private final NDManager manager;
    private final NDArray input;
    private final NDArray target;

    GradientCheck(Block block, NDManager manager, NDArray input, NDArray target) {
        this.block = block;
        this.manager = manager;
        this.input = input;
        this.target = target;
    }

    NDArray loss() {
        NDArray output = block.forward(new ParameterStore(manager, false), new NDList(input), true).singletonOrThrow();
        // ½ as an array: DJL frees the temporary of mul(Number) before backward reads it.
        return output.sub(target).square().sum().mul(manager.create(0.5));
    }

    /** The parameters that receive gradients, in block order (running statistics excluded). */
    List<Parameter> trainable() {
        List<Parameter> parameters = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            if (entry.getValue().requiresGradient()) {
                parameters.add(entry.getValue());
            }
        }
        return parameters;
    }

    /** One backward pass: the gradient of every parameter, in the order given. */
    double[][] autograd(List<Parameter> parameters) {
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(loss());
        }
        double[][] gradients = new double[parameters.size()][];
        for (int i = 0; i < gradients.length; i++) {
            try (NDArray gradient = parameters.get(i).getArray().getGradient()) {
                gradients[i] = gradient.toDoubleArray();
            }
        }
        return gradients;
    }

    /** (L(θ + ε) − L(θ − ε)) / 2ε for every element of the parameter, whatever its shape. */
    double[] finiteDifferences(Parameter parameter) {
        NDArray array = parameter.getArray();
        double[] values = array.toDoubleArray();
        Shape shape = array.getShape();
        double[] gradient = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            NDIndex index = new NDIndex(position(shape, i));
            array.set(index, values[i] + EPSILON);
            double plus = loss().getDouble();
            array.set(index, values[i] - EPSILON);
            double minus = loss().getDouble();
            array.set(index, values[i]);
            gradient[i] = (plus - minus) / (2 * EPSILON);
        }
        return gradient;
    }

    /** Checks every trainable parameter; returns the largest gradient magnitude seen, so a caller can rule out all-zero gradients. */
    double assertAutogradMatchesFiniteDifferences() {
        List<Parameter> parameters = trainable();
        double[][] autograd = autograd(parameters);
        double largest = 0;
        for (int i = 0; i < parameters.size(); i++) {
            assertClose(autograd[i], finiteDifferences(parameters.get(i)), parameters.get(i).getName());
            for (double g : autograd[i]) {
                largest = Math.max(largest, Math.abs(g));
            }
        }
        return largest;
    }

    static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            double scale = Math.max(Math.abs(actual[i]), Math.abs(expected[i]));
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(RELATIVE * scale + ABSOLUTE);
        }
    }

    /** The multi-index of row-major element {@code flat} of {@code shape}. */
    private static long[] position(Shape shape, int flat) {
        long[] index = new long[shape.dimension()];
        long rest = flat;
        for (int axis = shape.dimension() - 1; axis >= 0; axis--) {
            index[axis] = rest % shape.get(axis);
            rest /= shape.get(axis);
        }
        return index;
    }
}

package org.backproplab.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A standard function for benchmarking samplers, to be minimised.
 *
 * @param name e.g. {@code branin}
 * @param space its box, one float parameter per dimension, named {@code x0, x1, ...}
 * @param function its value at a point
 * @param optimum its global minimum
 */
public record TestFunction(String name, List<SearchParameter> space, ToDoubleFunction<double[]> function, double optimum) {

    /** Branin-Hoo on [-5, 10] x [0, 15]: three global minima of 0.397887. */
    public static TestFunction branin() {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return new TestFunction("branin", List.of(SearchParameter.of("x0", SearchParameter.Kind.FLOAT, -5, 10),
                SearchParameter.of("x1", SearchParameter.Kind.FLOAT, 0, 15)), x -> {
                    double term = x[1] - b * x[0] * x[0] + c * x[0] - 6;
                    return term * term + 10 * (1 - t) * Math.cos(x[0]) + 10;
                }, 0.397887);
    }

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] A = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {
        {1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

    /** Hartmann-6 on [0, 1]^6: global minimum -3.32237. */
    public static TestFunction hartmann6() {
        List<SearchParameter> space = new ArrayList<>();
        for (int d = 0; d < 6; d++) {
            space.add(SearchParameter.of("x" + d, SearchParameter.Kind.FLOAT, 0, 1));
        }
        return new TestFunction("hartmann6", space, x -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double difference = x[j] - P[i][j] * 1e-4;
                    inner += A[i][j] * difference * difference;
                }
                sum += ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        }, -3.32237);
    }

    /** The value at a proposal's point. */
    public double at(java.util.Map<String, Double> point) {
        return function.applyAsDouble(space.stream().mapToDouble(parameter -> point.get(parameter.name())).toArray());
    }
}

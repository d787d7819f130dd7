package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
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
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.backproplab.core.config.ModelInitial;
import org.backproplab.spi.ExampleSource;

/**
 * Autograd against central finite differences, (L(w + h) − L(w − h)) / 2h, for every parameter of a
 * model on a few training examples, in float64 so that the differences are accurate far below the
 * tolerance. Large parameters are checked on a seeded sample of their elements. A wrong backward pass
 * anywhere (a custom block whose gradient is wrong, a detached part of the graph) shows as a large
 * relative error in the layers whose gradients flow through it.
 */
public final class GradientCheck {

    /**
     * How to check.
     *
     * @param examples training examples in the batch (the first ones)
     * @param samplesPerParameter elements checked per parameter; a parameter with more is sampled
     * @param step the finite-difference step h, scaled by max(1, |w|)
     * @param tolerance the largest relative error that passes
     */
    public record Options(int examples, int samplesPerParameter, double step, double tolerance) {

        /** 4 examples, 32 elements per parameter, h = 1e-5, tolerance 1e-4. */
        public static final Options DEFAULT = new Options(4, 32, 1e-5, 1e-4);
    }

    /**
     * The check of one parameter.
     *
     * @param layer {@code layer_NN} of its block, or {@code other} for parameters outside the layers
     * @param parameter the DJL name, e.g. {@code 01Linear_weight}
     * @param shape its shape
     * @param checked elements compared
     * @param worstRelativeError the largest |autograd − numeric| / max(|autograd|, |numeric|, 1e-6)
     * @param worstElement where it is, e.g. {@code [0, 1]}
     * @param autograd autograd's value there
     * @param numeric the finite difference there
     */
    public record ParameterCheck(String layer, String parameter, Shape shape, int checked, double worstRelativeError,
            String worstElement, double autograd, double numeric) {}

    /**
     * The whole check.
     *
     * @param parameters one entry per parameter, in block order
     * @param examples how many examples the loss was taken over
     * @param options how it was checked
     */
    public record Result(List<ParameterCheck> parameters, int examples, Options options) {

        /** Whether every relative error is within the tolerance. */
        public boolean passed() {
            return parameters.stream().allMatch(p -> p.worstRelativeError() <= options.tolerance());
        }

        /** The worst relative error of each layer, in block order. */
        public Map<String, Double> worstByLayer() {
            Map<String, Double> worst = new LinkedHashMap<>();
            parameters.forEach(p -> worst.merge(p.layer(), p.worstRelativeError(), Math::max));
            return worst;
        }

        /** The parameters over the tolerance, worst first. */
        public List<ParameterCheck> failures() {
            return parameters.stream().filter(p -> !(p.worstRelativeError() <= options.tolerance()))
                    .sorted(Comparator.comparingDouble(ParameterCheck::worstRelativeError).reversed()).toList();
        }

        /** The table and the verdict, for the console. */
        public String describe() {
            StringBuilder text = new StringBuilder();
            text.append(String.format(Locale.ROOT, "  %-9s %-28s %-12s %-11s %s%n", "layer", "parameter", "shape", "checked",
                    "worst relative error"));
            for (ParameterCheck p : parameters) {
                text.append(String.format(Locale.ROOT, "  %-9s %-28s %-12s %-11s %.2e%s%n", p.layer(), p.parameter(), p.shape(),
                        p.checked() + " of " + p.shape().size(), p.worstRelativeError(),
                        p.worstRelativeError() <= options.tolerance() ? ""
                                : String.format(Locale.ROOT, "  at %s: autograd %.6g, finite differences %.6g",
                                        p.worstElement(), p.autograd(), p.numeric())));
            }
            Map<String, Double> byLayer = worstByLayer();
            String worstLayer = byLayer.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-");
            if (passed()) {
                text.append(String.format(Locale.ROOT, "PASSED: the worst relative error, %.2e (%s), is within the tolerance %.0e",
                        byLayer.getOrDefault(worstLayer, 0.0), worstLayer, options.tolerance()));
            } else {
                List<String> layers = failures().stream().map(ParameterCheck::layer).distinct().toList();
                text.append(String.format(Locale.ROOT, "FAILED: the gradient of %s disagrees with finite differences"
                        + " (worst relative error %.2e > tolerance %.0e)", String.join(", ", layers),
                        failures().get(0).worstRelativeError(), options.tolerance()));
            }
            return text.toString();
        }
    }

    private GradientCheck() {}

    /** Checks a prepared experiment's model and loss on a fresh float64 copy of its model (given start values applied). */
    public static Result check(PreparedExperiment prepared, Options options) {
        var dataset = prepared.dataset();
        Block fresh = ExperimentTrainer.createModel(prepared.experiment().model(),
                new org.backproplab.spi.ModelContext(dataset.inputShape(), dataset.outputSize(), dataset.task()));
        return check(fresh, prepared.experiment().modelInitial(), prepared.lossFunction().loss(), dataset.train(),
                prepared.experiment().seed(), options);
    }

    /**
     * Checks a block that is not yet initialised: it is initialised in float64 with the seed, and the
     * given start values put in.
     */
    public static Result check(Block block, ModelInitial initial, Loss loss, ExampleSource examples, long seed, Options options) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
            int count = Math.min(options.examples(), examples.size());
            NDList batch = ShuffledBatches.rows(examples, 0, count, manager);
            NDArray input = batch.get(0).toType(DataType.FLOAT64, false);
            NDArray target = batch.get(1).toType(DataType.FLOAT64, false);
            engine.setRandomSeed(Long.hashCode(seed));
            block.initialize(manager, DataType.FLOAT64, input.getShape());
            InitialParameters.apply(block, initial);

            Map<Parameter, String> layerOf = new IdentityHashMap<>();
            for (org.backproplab.spi.Layer layer : Layers.of(block)) {
                layerOf.put(layer.weight(), layer.name());
                layer.bias().ifPresent(bias -> layerOf.put(bias, layer.name()));
            }
            List<Pair<String, Parameter>> parameters = new ArrayList<>();
            block.getParameters().forEach(parameters::add);

            try (GradientCollector collector = engine.newGradientCollector()) {
                collector.backward(loss(block, manager, input, target, loss));
            }
            List<double[]> gradients = new ArrayList<>();
            for (Pair<String, Parameter> entry : parameters) {
                try (NDArray gradient = entry.getValue().getArray().getGradient()) {
                    gradients.add(gradient.toDoubleArray());
                }
            }
            SplittableRandom random = new SplittableRandom(seed);
            List<ParameterCheck> checks = new ArrayList<>();
            for (int p = 0; p < parameters.size(); p++) {
                Parameter parameter = parameters.get(p).getValue();
                checks.add(checkParameter(block, manager, input, target, loss, parameter, parameters.get(p).getKey(),
                        Optional.ofNullable(layerOf.get(parameter)).orElse("other"), gradients.get(p), random, options));
            }
            return new Result(checks, count, options);
        }
    }

    private static ParameterCheck checkParameter(Block block, NDManager manager, NDArray input, NDArray target, Loss loss,
            Parameter parameter, String name, String layer, double[] gradient, SplittableRandom random, Options options) {
        NDArray array = parameter.getArray();
        Shape shape = array.getShape();
        double[] values = array.toDoubleArray();
        int[] elements = sample(values.length, options.samplesPerParameter(), random);
        double worst = 0;
        int worstIndex = elements.length == 0 ? 0 : elements[0];
        double worstNumeric = 0;
        for (int index : elements) {
            NDIndex at = index(shape, index);
            double h = options.step() * Math.max(1, Math.abs(values[index]));
            array.set(at, values[index] + h);
            double plus = lossValue(block, manager, input, target, loss);
            array.set(at, values[index] - h);
            double minus = lossValue(block, manager, input, target, loss);
            array.set(at, values[index]);
            double numeric = (plus - minus) / (2 * h);
            double error = Math.abs(gradient[index] - numeric)
                    / Math.max(Math.max(Math.abs(gradient[index]), Math.abs(numeric)), 1e-6);
            if (!(error <= worst)) { // NaN counts as the worst
                worst = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                worstIndex = index;
                worstNumeric = numeric;
            }
        }
        return new ParameterCheck(layer, name, shape, elements.length, worst, position(shape, worstIndex),
                gradient.length == 0 ? 0 : gradient[worstIndex], worstNumeric);
    }

    private static NDArray loss(Block block, NDManager manager, NDArray input, NDArray target, Loss loss) {
        NDArray output = block.forward(new ParameterStore(manager, false), new NDList(input), true).singletonOrThrow();
        return loss.evaluate(new NDList(target), new NDList(output));
    }

    private static double lossValue(Block block, NDManager manager, NDArray input, NDArray target, Loss loss) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray output = block.forward(new ParameterStore(scope, false), new NDList(input), true).singletonOrThrow();
            NDArray value = loss.evaluate(new NDList(target), new NDList(output));
            double result = value.toType(DataType.FLOAT64, false).getDouble();
            output.attach(scope);
            value.attach(scope);
            return result;
        }
    }

    /** All elements when there are few enough, otherwise a seeded sample without repeats. */
    private static int[] sample(int size, int samples, SplittableRandom random) {
        if (size <= samples) {
            return java.util.stream.IntStream.range(0, size).toArray();
        }
        return random.ints(0, size).distinct().limit(samples).sorted().toArray();
    }

    private static NDIndex index(Shape shape, int flat) {
        long[] indices = coordinates(shape, flat);
        return new NDIndex(indices);
    }

    private static long[] coordinates(Shape shape, int flat) {
        long[] indices = new long[shape.dimension()];
        long rest = flat;
        for (int d = shape.dimension() - 1; d >= 0; d--) {
            indices[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return indices;
    }

    private static String position(Shape shape, int flat) {
        long[] indices = coordinates(shape, flat);
        return java.util.Arrays.toString(indices);
    }
}

package org.backproplab.plugins.datasets;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.ExampleSource;
import org.backproplab.spi.Examples;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/**
 * Synthetic regression data y = Wx + b + noise (seeds 000 and 003), x ~ U(−1, 1). W and b are
 * given, or drawn from N(0, 1) with the experiment seed so a run can be checked against them.
 */
public final class LinearDatasetFactory implements DatasetFactory<LinearDatasetFactory.Parameters> {

    /** The parameters of {@code linear}. */
    public record Parameters(
            @Param(value = "input features per example", defaultValue = "2") @Positive @Max(100_000) int inputs,
            @Param(value = "outputs per example", defaultValue = "1") @Positive @Max(100_000) int outputs,
            @Param(value = "training examples", defaultValue = "256") @Positive @Max(10_000_000) int examples,
            @Param(value = "test examples", defaultValue = "64") @Min(0) @Max(10_000_000) int testExamples,
            @Param(value = "standard deviation of the Gaussian noise added to y", defaultValue = "0.01") @DecimalMin("0") double noise,
            @Param(value = "the true W, row-major outputs × inputs; drawn from N(0,1) when absent", defaultValue = Param.NONE)
                    List<Double> weights,
            @Param(value = "the true b, one per output; drawn from N(0,1) when absent", defaultValue = Param.NONE) List<Double> bias) {

        @AssertTrue(message = "weights must hold outputs × inputs values and bias outputs values")
        public boolean isTruthSized() {
            return (weights == null || weights.size() == inputs * outputs) && (bias == null || bias.size() == outputs);
        }
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "Synthetic y = Wx + b + Gaussian noise, x uniform in [-1, 1]; W and b given or drawn from the seed.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Dataset create(Parameters parameters, DatasetContext context) {
        SplittableRandom random = new SplittableRandom(context.seed());
        int inputs = parameters.inputs();
        int outputs = parameters.outputs();
        double[] weights = truth(parameters.weights(), inputs * outputs, random);
        double[] bias = truth(parameters.bias(), outputs, random);
        Examples train = sample(parameters.examples(), inputs, outputs, weights, bias, parameters.noise(), random);
        Optional<ExampleSource> test = parameters.testExamples() == 0
                ? Optional.empty()
                : Optional.of(sample(parameters.testExamples(), inputs, outputs, weights, bias, parameters.noise(), random));
        return new Dataset(Task.REGRESSION, outputs, train, test);
    }

    private static double[] truth(List<Double> given, int size, SplittableRandom random) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = given != null ? given.get(i) : gaussian(random);
        }
        return values;
    }

    private static Examples sample(int count, int inputs, int outputs, double[] weights, double[] bias, double noise,
            SplittableRandom random) {
        float[] features = new float[count * inputs];
        float[] targets = new float[count * outputs];
        for (int example = 0; example < count; example++) {
            for (int i = 0; i < inputs; i++) {
                features[example * inputs + i] = (float) random.nextDouble(-1, 1);
            }
            for (int o = 0; o < outputs; o++) {
                double y = bias[o];
                for (int i = 0; i < inputs; i++) {
                    y += weights[o * inputs + i] * features[example * inputs + i];
                }
                targets[example * outputs + o] = (float) (y + noise * gaussian(random));
            }
        }
        return new Examples(features, inputs, targets, outputs);
    }

    /** Box–Muller, so the stream depends only on SplittableRandom (stable across JDKs). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

package org.backproplab.plugins.example;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
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
 * Two interleaving half circles, a binary classification that no straight line separates: class 0
 * on the upper moon (cos t, sin t), class 1 on the lower one (1 − cos t, ½ − sin t), t uniform in
 * [0, π], both with Gaussian noise. Drawn from the experiment seed, so a run can be repeated.
 */
public final class TwoMoonsDatasetFactory implements DatasetFactory<TwoMoonsDatasetFactory.Parameters> {

    /**
     * The parameters of {@code two-moons}.
     *
     * @param examples training examples, half of each class
     * @param testExamples test examples, half of each class
     * @param noise standard deviation of the Gaussian noise on both coordinates
     */
    public record Parameters(
            @Param(value = "training examples, half on each moon", defaultValue = "200") @Positive @Max(10_000_000) int examples,
            @Param(value = "test examples, half on each moon", defaultValue = "200") @Min(0) @Max(10_000_000) int testExamples,
            @Param(value = "standard deviation of the Gaussian noise added to both coordinates", defaultValue = "0.1")
                    @DecimalMin("0") double noise) {}

    @Override
    public String name() {
        return "two-moons";
    }

    @Override
    public String description() {
        return "Two interleaving half circles with Gaussian noise (binary classification), drawn from the seed.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Dataset create(Parameters parameters, DatasetContext context) {
        SplittableRandom random = new SplittableRandom(context.seed());
        Examples train = sample(parameters.examples(), parameters.noise(), random);
        Optional<ExampleSource> test = parameters.testExamples() == 0
                ? Optional.empty()
                : Optional.of(sample(parameters.testExamples(), parameters.noise(), random));
        return new Dataset(Task.BINARY_CLASSIFICATION, 1, train, test);
    }

    private static Examples sample(int count, double noise, SplittableRandom random) {
        float[] features = new float[2 * count];
        float[] targets = new float[count];
        for (int i = 0; i < count; i++) {
            int moon = i % 2;
            double t = random.nextDouble(0, Math.PI);
            double x = moon == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double y = moon == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            features[2 * i] = (float) (x + noise * gaussian(random));
            features[2 * i + 1] = (float) (y + noise * gaussian(random));
            targets[i] = moon;
        }
        return new Examples(features, 2, targets, 1);
    }

    /** Box–Muller, so the numbers depend only on SplittableRandom (the same on every JDK). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

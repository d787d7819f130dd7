package org.backproplab.plugins.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.Examples;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;

class TwoMoonsDatasetFactoryTest {

    private static Dataset moons(int examples, int testExamples, double noise, long seed) {
        return new TwoMoonsDatasetFactory().create(new TwoMoonsDatasetFactory.Parameters(examples, testExamples, noise),
                new DatasetContext(seed));
    }

    @Test
    void withoutNoiseEveryPointLiesOnItsMoon() {
        Examples train = Examples.copyOf(moons(500, 0, 0.0, 1).train());
        for (int i = 0; i < train.size(); i++) {
            double x = train.features()[2 * i];
            double y = train.features()[2 * i + 1];
            if (train.targets()[i] == 0) {
                assertThat(Math.hypot(x, y)).isCloseTo(1.0, within(1e-6));
                assertThat(y).isGreaterThanOrEqualTo(-1e-6);
            } else {
                assertThat(Math.hypot(x - 1, y - 0.5)).isCloseTo(1.0, within(1e-6));
                assertThat(y).isLessThanOrEqualTo(0.5 + 1e-6);
            }
        }
    }

    @Test
    void itIsABalancedBinaryClassificationWithBothSplits() {
        Dataset data = moons(300, 100, 0.1, 2);
        assertThat(data.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
        assertThat(data.inputSize()).isEqualTo(2);
        assertThat(data.outputSize()).isEqualTo(1);
        assertThat(data.train().size()).isEqualTo(300);
        assertThat(data.test().orElseThrow().size()).isEqualTo(100);
        double ones = 0;
        for (float target : Examples.copyOf(data.train()).targets()) {
            assertThat(target).isIn(0f, 1f);
            ones += target;
        }
        assertThat(ones).isEqualTo(150);
        assertThat(moons(10, 0, 0.1, 2).test()).isEmpty();
    }

    @Test
    void theSeedDecidesThePoints() {
        float[] first = Examples.copyOf(moons(200, 50, 0.1, 7).train()).features();
        assertThat(Examples.copyOf(moons(200, 50, 0.1, 7).train()).features()).containsExactly(first);
        assertThat(Examples.copyOf(moons(200, 50, 0.1, 8).train()).features()).isNotEqualTo(first);
        // The test split is drawn after the training split: different points.
        assertThat(Examples.copyOf(moons(200, 200, 0.1, 7).test().orElseThrow()).features()).isNotEqualTo(first);
    }

    @Test
    void noiseHasTheRequestedSpreadAcrossTheMoon() {
        Examples train = Examples.copyOf(moons(40_000, 0, 0.02, 3).train());
        double sumOfSquares = 0;
        int count = 0;
        for (int i = 0; i < train.size(); i++) {
            if (train.targets()[i] == 0) {
                // Small isotropic noise moves a point off the unit circle by about N(0, noise²).
                double residual = Math.hypot(train.features()[2 * i], train.features()[2 * i + 1]) - 1;
                sumOfSquares += residual * residual;
                count++;
            }
        }
        assertThat(Math.sqrt(sumOfSquares / count)).isCloseTo(0.02, within(0.002));
    }
}

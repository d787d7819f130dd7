package org.backproplab.plugins.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.ScheduleContext;
import org.junit.jupiter.api.Test;

class ScheduleFactoriesTest {

    /** 3 steps an epoch, 10 epochs. */
    private static final ScheduleContext THIRTY_STEPS = new ScheduleContext(3, 30);

    private static double[] factors(Schedule schedule, long steps) {
        return LongStream.range(0, steps).mapToDouble(schedule::factor).toArray();
    }

    @Test
    void constantKeepsTheBaseRate() {
        Schedule schedule = new ConstantScheduleFactory().create(new NoParameters(), THIRTY_STEPS);
        assertThat(factors(schedule, 30)).containsOnly(1.0);
    }

    @Test
    void stepDecaysEveryStepSizeEpochs() {
        // StepLR(step_size=2, gamma=0.5) stepped once an epoch: epochs 0-1 at 1, epochs 2-3 at 0.5, epoch 4 at 0.25.
        Schedule schedule = new StepScheduleFactory().create(new StepScheduleFactory.Parameters(2, 0.5, Interval.EPOCHS), THIRTY_STEPS);
        assertThat(factors(schedule, 15)).containsExactly(
                1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25);
        assertThat(schedule.factor(29)).isEqualTo(Math.pow(0.5, 4));
    }

    @Test
    void stepCanCountOptimizerSteps() {
        Schedule schedule = new StepScheduleFactory().create(new StepScheduleFactory.Parameters(4, 0.1, Interval.STEPS), THIRTY_STEPS);
        assertThat(factors(schedule, 10)).containsExactly(
                new double[] {1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01}, within(1e-15));
    }

    @Test
    void aStepSizeBeyondTheRunIsRefused() {
        assertThatThrownBy(() -> new StepScheduleFactory().create(new StepScheduleFactory.Parameters(10, 0.1, Interval.EPOCHS), THIRTY_STEPS))
                .isInstanceOf(ComponentException.class)
                .hasMessage("schedule 'step': step_size 10 epochs is 30 steps, but the schedule lasts 30 steps, "
                        + "so the rate would never decay; give a smaller step_size");
    }

    @Test
    void exponentialMultipliesByGammaEachEpoch() {
        // ExponentialLR(gamma=0.9) stepped once an epoch.
        Schedule schedule = new ExponentialScheduleFactory().create(new ExponentialScheduleFactory.Parameters(0.9, Interval.EPOCHS), THIRTY_STEPS);
        assertThat(factors(schedule, 10)).containsExactly(
                new double[] {1, 1, 1, 0.9, 0.9, 0.9, 0.81, 0.81, 0.81, 0.729}, within(1e-15));
    }

    @Test
    void exponentialPerStep() {
        Schedule schedule = new ExponentialScheduleFactory().create(new ExponentialScheduleFactory.Parameters(0.5, Interval.STEPS), THIRTY_STEPS);
        assertThat(factors(schedule, 4)).containsExactly(1, 0.5, 0.25, 0.125);
    }

    @Test
    void cosineAnnealsToTheMinimumFactorOverTheRun() {
        // m + (1 − m)(1 + cos(πt/10))/2 with m = 0.1, t = 0..9; half way (t = 5) it is (1 + m)/2.
        Schedule schedule = new CosineScheduleFactory().create(new CosineScheduleFactory.Parameters(0.1), new ScheduleContext(5, 10));
        assertThat(factors(schedule, 10)).containsExactly(new double[] {
            1.0, 0.977975432333, 0.914057647469, 0.814503363532, 0.689057647469,
            0.55, 0.410942352531, 0.285496636468, 0.185942352531, 0.122024567667}, within(1e-12));
        assertThat(schedule.factor(10)).isEqualTo(0.1);
        assertThat(schedule.factor(1000)).isEqualTo(0.1);
    }

    @Test
    void cosineEqualsPyTorchsRecursiveForm() {
        // CosineAnnealingLR.get_lr(), as the scheduler updates the rate step by step (base rate 1, eta_min m).
        double min = 0.05;
        long period = 937;
        Schedule schedule = new CosineScheduleFactory().create(new CosineScheduleFactory.Parameters(min), new ScheduleContext(100, period));
        double rate = 1.0;
        for (long t = 1; t < period; t++) {
            rate = (1 + Math.cos(Math.PI * t / period)) / (1 + Math.cos(Math.PI * (t - 1) / period)) * (rate - min) + min;
            assertThat(schedule.factor(t)).as("step %d", t).isCloseTo(rate, within(1e-12));
        }
    }

    @Test
    void theFactoriesAreListedByThePlugin() {
        assertThat(new SchedulesPlugin().schedules()).extracting(factory -> factory.name())
                .containsExactly("constant", "step", "exponential", "cosine");
    }
}

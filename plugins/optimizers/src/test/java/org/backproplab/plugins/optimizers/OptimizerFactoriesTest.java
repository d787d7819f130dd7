package org.backproplab.plugins.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.Schedule;
import org.junit.jupiter.api.Test;

class OptimizerFactoriesTest {

    /** Applies two updates with gradient g to w = 1 and returns w after each. */
    private static double[] twoSteps(Optimizer optimizer, float gradient) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray weight = manager.create(new float[] {1f});
            double[] after = new double[2];
            for (int step = 0; step < 2; step++) {
                optimizer.update("w", weight, manager.create(new float[] {gradient}));
                after[step] = weight.getFloat(0);
            }
            return after;
        }
    }

    private static final OptimizerContext CONTEXT = new OptimizerContext(10, 100, Schedule.CONSTANT);

    @Test
    void plainSgdStepsAgainstTheGradient() {
        Optimizer sgd = new SgdOptimizerFactory().create(new SgdOptimizerFactory.Parameters(0.1, 0.0, 0.0, null), CONTEXT);
        assertThat(twoSteps(sgd, 2f)).containsExactly(new double[] {0.8, 0.6}, within(1e-6));
    }

    @Test
    void momentumAccumulatesVelocity() {
        Optimizer sgd = new SgdOptimizerFactory().create(new SgdOptimizerFactory.Parameters(0.1, 0.9, 0.0, null), CONTEXT);
        // v1 = g, w1 = 1 - 0.1·2 = 0.8; v2 = 0.9·v1 + g = 3.8, w2 = 0.8 - 0.38 = 0.42 (PyTorch's convention).
        assertThat(twoSteps(sgd, 2f)).containsExactly(new double[] {0.8, 0.42}, within(1e-5));
    }

    @Test
    void adamFirstStepIsTheLearningRate() {
        Optimizer adam = new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.01, 0.9, 0.999, 1e-8, 0.0), CONTEXT);
        // Bias-corrected, Adam's first step has magnitude lr whatever the gradient's scale.
        assertThat(twoSteps(adam, 123f)[0]).isCloseTo(0.99, within(1e-5));
    }

    @Test
    void clipGradClipsBothSignsToTheLimit() {
        Optimizer clipped = new SgdOptimizerFactory().create(new SgdOptimizerFactory.Parameters(0.1, 0.0, 0.0, 0.5), CONTEXT);
        // -3 is clipped to -0.5: w = 1 + 0.05 per step (DJL's own clipGrad let it through: 1.3, 1.6).
        assertThat(twoSteps(clipped, -3f)).containsExactly(new double[] {1.05, 1.1}, within(1e-6));
        assertThat(twoSteps(clipped, 3f)).containsExactly(new double[] {0.95, 0.9}, within(1e-6));
        // Inside [-c, c] a gradient passes as it is.
        assertThat(twoSteps(clipped, -0.2f)).containsExactly(new double[] {1.02, 1.04}, within(1e-6));
        Optimizer withMomentum = new SgdOptimizerFactory().create(new SgdOptimizerFactory.Parameters(0.1, 0.9, 0.0, 0.5), CONTEXT);
        // The clipped gradient feeds the velocity: v1 = -0.5, v2 = -0.95.
        assertThat(twoSteps(withMomentum, -3f)).containsExactly(new double[] {1.05, 1.145}, within(1e-5));
    }
}

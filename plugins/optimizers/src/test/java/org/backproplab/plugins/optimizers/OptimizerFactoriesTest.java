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
}

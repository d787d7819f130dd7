package org.backproplab.plugins.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.spi.FusedUpdate;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.Schedule;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer against the first three steps of its {@code torch.optim} definition, computed by
 * hand (in double precision) for w₀ = (1, −0.5) and the gradients g₁ = (0.5, −1), g₂ = (0.2, 0.3),
 * g₃ = (−0.4, 0.1).
 *
 * <p>The gradients come from a real backward pass of the loss g·w, and the optimizer gets a copy as
 * DJL's parameter server hands it over: an optimizer that left the weight's gradient in place would
 * see g₁ + g₂ at step 2 and miss the numbers.
 */
class OptimizerFactoriesTest {

    private static final float[][] GRADIENTS = {{0.5f, -1f}, {0.2f, 0.3f}, {-0.4f, 0.1f}};
    private static final OptimizerContext CONSTANT = new OptimizerContext(10, 100, Schedule.CONSTANT);

    /** The weight after each of the three steps, one row per step. */
    private static double[][] threeSteps(Optimizer optimizer) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray weight = manager.create(new float[] {1f, -0.5f});
            weight.setRequiresGradient(true);
            double[][] after = new double[3][];
            for (int step = 0; step < 3; step++) {
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    collector.backward(weight.mul(manager.create(GRADIENTS[step])).sum());
                }
                try (NDArray gradient = weight.getGradient(); NDArray copy = gradient.duplicate()) {
                    optimizer.update("w", weight, copy);
                }
                float[] values = weight.toFloatArray();
                after[step] = new double[] {values[0], values[1]};
            }
            return after;
        }
    }

    private static void assertSteps(Optimizer optimizer, double[][] expected) {
        double[][] actual = threeSteps(optimizer);
        for (int step = 0; step < 3; step++) {
            assertThat(actual[step]).as("w after step %d", step + 1).containsExactly(expected[step], within(1e-6));
        }
    }

    private static Optimizer sgd(double lr, double momentum, double weightDecay, Double clip, boolean nesterov, OptimizerContext context) {
        return new SgdOptimizerFactory().create(new SgdOptimizerFactory.Parameters(lr, momentum, weightDecay, clip, nesterov), context);
    }

    @Test
    void plainSgdStepsAgainstTheGradient() {
        // w ← w − 0.1·g: (1 − 0.05, −0.5 + 0.1) = (0.95, −0.4), then (0.93, −0.43), (0.97, −0.44).
        assertSteps(sgd(0.1, 0, 0, null, false, CONSTANT), new double[][] {{0.95, -0.4}, {0.93, -0.43}, {0.97, -0.44}});
    }

    @Test
    void sgdWeightDecayAddsToTheGradient() {
        // g + 0.1·w = (0.6, −1.05): w₁ = (0.94, −0.395); then g₂ + 0.1·w₁ = (0.294, 0.2605): w₂ = (0.9106, −0.42105).
        assertSteps(sgd(0.1, 0, 0.1, null, false, CONSTANT),
                new double[][] {{0.94, -0.395}, {0.9106, -0.42105}, {0.941494, -0.4268395}});
    }

    @Test
    void clippingBoundsNegativeGradientsToo() {
        // clip 0.6 turns g₁ = (0.5, −1) into (0.5, −0.6): w₁ = (0.95, −0.44); g₂ and g₃ are inside the bounds.
        assertSteps(sgd(0.1, 0, 0, 0.6, false, CONSTANT), new double[][] {{0.95, -0.44}, {0.93, -0.47}, {0.97, -0.48}});
    }

    @Test
    void momentumAccumulatesTheGradientAsPyTorchDoes() {
        // b₁ = g₁, w₁ = (0.95, −0.4); b₂ = 0.9·b₁ + g₂ = (0.65, −0.6), w₂ = (0.885, −0.34);
        // b₃ = (0.185, −0.44), w₃ = (0.8665, −0.296).
        assertSteps(sgd(0.1, 0.9, 0, null, false, CONSTANT),
                new double[][] {{0.95, -0.4}, {0.885, -0.34}, {0.8665, -0.296}});
    }

    @Test
    void momentumKeepsTheLearningRateOutsideTheVelocity() {
        // PyTorch: w ← w − lrₜ·bₜ with lr = 0.1, 0.05, 0.025. (DJL's native SGD keeps lr·g in the velocity,
        // which gives w₃ = (0.8555, −0.26) here.)
        OptimizerContext halving = new OptimizerContext(10, 100, step -> Math.pow(0.5, step));
        assertSteps(sgd(0.1, 0.9, 0, null, false, halving),
                new double[][] {{0.95, -0.4}, {0.9175, -0.37}, {0.912875, -0.359}});
    }

    @Test
    void momentumWithWeightDecayDecaysBeforeTheVelocity() {
        // g₁ + 0.1·w₀ = (0.6, −1.05) = b₁: w₁ = (0.94, −0.395); g₂ + 0.1·w₁ = (0.294, 0.2605),
        // b₂ = (0.834, −0.6845): w₂ = (0.8566, −0.32655).
        assertSteps(sgd(0.1, 0.9, 0.1, null, false, CONSTANT),
                new double[][] {{0.94, -0.395}, {0.8566, -0.32655}, {0.812974, -0.2716795}});
    }

    @Test
    void nesterovStepsAlongTheGradientPlusTheDampedVelocity() {
        // b₁ = g₁; step g₁ + 0.9·b₁ = (0.95, −1.9): w₁ = (0.905, −0.31); b₂ = (0.65, −0.6),
        // step (0.785, −0.24): w₂ = (0.8265, −0.286); b₃ = (0.185, −0.44), step (−0.2335, −0.296).
        assertSteps(sgd(0.1, 0.9, 0, null, true, CONSTANT),
                new double[][] {{0.905, -0.31}, {0.8265, -0.286}, {0.84985, -0.2564}});
    }

    @Test
    void adamFollowsPyTorch() {
        // Bias-corrected, Adam's first step has magnitude lr whatever the gradient: w₁ = (0.9, −0.4).
        Optimizer adam = new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.1, 0.9, 0.999, 1e-8, 0), CONSTANT);
        assertSteps(adam, new double[][] {{0.9, -0.4}, {0.810142484, -0.357215142}, {0.792514598, -0.330389925}});
    }

    @Test
    void adamAddsEpsilonAfterTheBiasCorrectionAsPyTorchDoes() {
        // m̂ = g₁, √v̂ = |g₁|: w₁ = w₀ − 0.1·g₁/(|g₁| + 0.1) = (1 − 0.05/0.6, −0.5 + 0.1/1.1). DJL's own Adam
        // adds ε to √v before the correction and would give w₁ = (0.9863, −0.4760).
        Optimizer adam = new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.1, 0.9, 0.999, 0.1, 0), CONSTANT);
        assertSteps(adam, new double[][] {{0.916666667, -0.409090909}, {0.845501437, -0.371411112}, {0.831491312, -0.348389500}});
    }

    @Test
    void adamWeightDecayEntersTheMoments() {
        Optimizer adam = new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.1, 0.9, 0.999, 1e-8, 0.1), CONSTANT);
        assertSteps(adam, new double[][] {{0.9, -0.4}, {0.807281461, -0.352854900}, {0.770277195, -0.320295412}});
    }

    @Test
    void adamwDecaysTheWeightItself() {
        // w₀·(1 − 0.1·0.1) = (0.99, −0.495), then Adam's step of magnitude lr: w₁ = (0.89, −0.395).
        Optimizer adamw = new AdamWOptimizerFactory().create(new AdamWOptimizerFactory.Parameters(0.1, 0.9, 0.999, 1e-8, 0.1), CONSTANT);
        assertSteps(adamw, new double[][] {{0.89, -0.395}, {0.791242484, -0.348265142}, {0.765702173, -0.317957273}});
    }

    @Test
    void adamwWithALargeEpsilon() {
        // (0.99, −0.495) − 0.1·g₁/(|g₁| + 0.1) = (0.99 − 0.083333, −0.495 + 0.090909).
        Optimizer adamw = new AdamWOptimizerFactory().create(new AdamWOptimizerFactory.Parameters(0.1, 0.9, 0.999, 0.1, 0.1), CONSTANT);
        assertSteps(adamw, new double[][] {{0.906666667, -0.404090909}, {0.826434770, -0.362370203}, {0.804160297, -0.335724889}});
    }

    private static Optimizer rmsprop(double lr, double alpha, double momentum, double weightDecay, boolean centered) {
        return new RmsPropOptimizerFactory().create(
                new RmsPropOptimizerFactory.Parameters(lr, alpha, 1e-8, momentum, weightDecay, centered), CONSTANT);
    }

    @Test
    void rmspropDividesByTheRootMeanSquare() {
        // s₁ = 0.01·g₁², √s₁ = 0.1·|g₁|: w₁ = w₀ − 0.01·g₁/(0.1·|g₁| + 1e-8) = (0.9, −0.4) to 1e-7;
        // s₂ = 0.99·s₁ + 0.01·g₂² = (0.002875, 0.010801): w₂ = w₁ − 0.01·g₂/√s₂.
        assertSteps(rmsprop(0.01, 0.99, 0, 0, false),
                new double[][] {{0.900000020, -0.400000010}, {0.862699835, -0.428867521}, {0.922687642, -0.438493590}});
    }

    @Test
    void centredRmspropSubtractsTheSquaredMeanGradient() {
        // s₁ − ḡ₁² = 0.01·g₁² − 0.0001·g₁² = 0.0099·g₁²: w₁ = w₀ − 0.01·g₁/(√0.0099·|g₁|) = w₀ ∓ 0.100504.
        assertSteps(rmsprop(0.01, 0.99, 0, 0, true),
                new double[][] {{0.899496239, -0.399496229}, {0.861878711, -0.428427579}, {0.921922569, -0.438068848}});
    }

    @Test
    void rmspropMomentumAccumulatesTheScaledStep() {
        // b₂ = 0.5·b₁ + g₂/(√s₂ + ε): w₂ = w₁ − 0.01·b₂.
        assertSteps(rmsprop(0.01, 0.99, 0.5, 0, false),
                new double[][] {{0.900000020, -0.400000010}, {0.812699845, -0.378867526}, {0.829037564, -0.377927353}});
    }

    @Test
    void centredRmspropWithMomentumAndWeightDecay() {
        // α = 0.9; g₁ + 0.1·w₀ = (0.6, −1.05), s₁ − ḡ₁² = 0.1·g² − 0.01·g² = 0.09·g²: w₁ = w₀ ∓ 0.01/0.3.
        assertSteps(rmsprop(0.01, 0.9, 0.9, 0.1, true),
                new double[][] {{0.966666669, -0.466666668}, {0.920625009, -0.444643594}, {0.893771600, -0.426652070}});
    }

    @Test
    void adagradShrinksTheStepWithTheSumOfSquares() {
        // s₁ = g₁²: w₁ = w₀ − 0.1·sign(g₁) = (0.9, −0.4); s₂ = (0.29, 1.09): w₂ = (0.9 − 0.02/√0.29, −0.4 − 0.03/√1.09).
        Optimizer adagrad = new AdagradOptimizerFactory().create(new AdagradOptimizerFactory.Parameters(0.1, 1e-10, 0, 0), CONSTANT);
        assertSteps(adagrad, new double[][] {{0.9, -0.4}, {0.862860932, -0.428734789}, {0.922489412, -0.438269414}});
    }

    @Test
    void adagradStartsFromTheInitialAccumulatorWithWeightDecay() {
        // g₁ + 0.1·w₀ = (0.6, −1.05), s₁ = 0.1 + g² = (0.46, 1.2025): w₁ = (1 − 0.06/√0.46, −0.5 + 0.105/√1.2025).
        Optimizer adagrad = new AdagradOptimizerFactory().create(new AdagradOptimizerFactory.Parameters(0.1, 1e-10, 0.1, 0.1), CONSTANT);
        assertSteps(adagrad, new double[][] {{0.911534826, -0.404248242}, {0.872087710, -0.427282909}, {0.911107171, -0.432358642}});
    }

    /** One of each rule, with every option that makes it keep more state or compute more. */
    private static Optimizer[] everyRule(OptimizerContext context) {
        return new Optimizer[] {
            sgd(0.1, 0, 0.1, 0.5, false, context),
            sgd(0.1, 0.9, 0.1, 0.5, false, context),
            sgd(0.1, 0.9, 0.1, null, true, context),
            new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.1, 0.9, 0.999, 1e-8, 0.1), context),
            new AdamWOptimizerFactory().create(new AdamWOptimizerFactory.Parameters(0.1, 0.9, 0.999, 1e-8, 0.1), context),
            new RmsPropOptimizerFactory().create(new RmsPropOptimizerFactory.Parameters(0.1, 0.99, 1e-8, 0.9, 0.1, true), context),
            new AdagradOptimizerFactory().create(new AdagradOptimizerFactory.Parameters(0.1, 1e-10, 0.1, 0.1), context)};
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        // The rules' temporaries (scalars, quotients) are freed each step; only their state stays.
        for (Optimizer optimizer : everyRule(CONSTANT)) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                NDArray weight = manager.create(new float[] {1f, -0.5f});
                NDArray gradient = manager.create(new float[] {0.5f, -1f});
                optimizer.update("w", weight, gradient);
                int afterFirstStep = manager.getManagedArrays().size();
                for (int step = 0; step < 20; step++) {
                    optimizer.update("w", weight, gradient);
                }
                assertThat(manager.getManagedArrays()).as(optimizer.getClass().getSimpleName()).hasSize(afterFirstStep);
            }
        }
    }

    @Test
    void theScheduleSetsEveryOptimizersRate() {
        // A schedule of factor 0 freezes the weights whatever the rule.
        OptimizerContext frozen = new OptimizerContext(10, 100, step -> 0.0);
        for (Optimizer optimizer : everyRule(frozen)) {
            assertThat(threeSteps(optimizer)[2]).as(optimizer.getClass().getSimpleName()).containsExactly(1.0, -0.5);
        }
        assertThat(frozen.learningRateAt(5)).hasValue(0.0);
    }
    @Test
    void adamUpdatesAllParametersInOneCallBitForBitAsOneByOne() {
        // The loop's fused call (FusedUpdate.updateAll) against Optimizer.update per parameter: same weights, every bit.
        List<Shape> shapes = List.of(new Shape(16, 8), new Shape(16), new Shape(3, 16), new Shape(3));
        for (boolean decoupled : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                manager.getEngine().setRandomSeed(5);
                List<NDArray> together = new ArrayList<>();
                List<NDArray> apart = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (Shape shape : shapes) {
                    NDArray weight = manager.randomNormal(shape);
                    together.add(weight);
                    apart.add(weight.duplicate());
                    ids.add("p" + ids.size());
                }
                Optimizer fused = decoupled
                        ? new AdamWOptimizerFactory().create(new AdamWOptimizerFactory.Parameters(0.01, 0.9, 0.999, 1e-8, 0.1), CONSTANT)
                        : new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.01, 0.9, 0.999, 1e-8, 0.1), CONSTANT);
                Optimizer oneByOne = decoupled
                        ? new AdamWOptimizerFactory().create(new AdamWOptimizerFactory.Parameters(0.01, 0.9, 0.999, 1e-8, 0.1), CONSTANT)
                        : new AdamOptimizerFactory().create(new AdamOptimizerFactory.Parameters(0.01, 0.9, 0.999, 1e-8, 0.1), CONSTANT);
                for (int step = 0; step < 3; step++) {
                    List<NDArray> gradients = new ArrayList<>();
                    for (Shape shape : shapes) {
                        gradients.add(manager.randomNormal(shape));
                    }
                    List<NDArray> copies = gradients.stream().map(NDArray::duplicate).toList();
                    ((FusedUpdate) fused).updateAll(ids, together, gradients);
                    for (int i = 0; i < shapes.size(); i++) {
                        oneByOne.update(ids.get(i), apart.get(i), copies.get(i));
                    }
                    assertThat(gradients).as("gradients zeroed").allSatisfy(g -> assertThat(g.abs().max().getFloat()).isZero());
                }
                for (int i = 0; i < shapes.size(); i++) {
                    assertThat(together.get(i).toFloatArray()).as("%s, parameter %d", decoupled ? "adamw" : "adam", i)
                            .isEqualTo(apart.get(i).toFloatArray())
                            .isNotEqualTo(manager.zeros(shapes.get(i)).toFloatArray());
                }
            }
        }
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.backproplab.spi.FusedUpdate;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.Schedule;
import org.junit.jupiter.api.Test;

/**
 * Not a test: {@code ./mvnw -o -B -pl plugins/optimizers test -Pbench} times the updates of the seed-004
 * network's parameters (784-256-10: four arrays, 203 530 weights) by each optimizer one parameter at a time (with a
 * copy of each gradient, as DJL's parameter server hands it), Adam also in the one call for all parameters that the
 * training loop makes, and DJL's own {@code Sgd} and {@code Adam} for reference; it prints microseconds per step and
 * the ratios, all measured in this one run (alternating rounds, best of five).
 */
class OptimizerUpdateBenchmark {

    private static final List<Shape> SHAPES = List.of(new Shape(256, 784), new Shape(256), new Shape(10, 256), new Shape(10));
    private static final int STEPS = 300;
    private static final List<String> IDS = List.of("p0", "p1", "p2", "p3");
    private static final OptimizerContext CONTEXT = new OptimizerContext(938, 9380, Schedule.CONSTANT);

    private record Candidate(String name, Supplier<Optimizer> optimizer) {}

    @Test
    void printMicrosecondsPerStep() {
        List<Candidate> candidates = List.of(
                new Candidate("djl Sgd momentum 0.9", () -> Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build()),
                new Candidate("sgd momentum 0.9", () -> new SgdOptimizerFactory().create(
                        new SgdOptimizerFactory.Parameters(0.01, 0.9, 0, null, false), CONTEXT)),
                new Candidate("sgd plain", () -> new SgdOptimizerFactory().create(
                        new SgdOptimizerFactory.Parameters(0.01, 0, 0, null, false), CONTEXT)),
                new Candidate("sgd nesterov", () -> new SgdOptimizerFactory().create(
                        new SgdOptimizerFactory.Parameters(0.01, 0.9, 0, null, true), CONTEXT)),
                new Candidate("djl Adam", () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build()),
                new Candidate("adam", () -> new AdamOptimizerFactory().create(
                        new AdamOptimizerFactory.Parameters(0.001, 0.9, 0.999, 1e-8, 0), CONTEXT)),
                new Candidate("adam, one call a step", () -> new AdamOptimizerFactory().create(
                        new AdamOptimizerFactory.Parameters(0.001, 0.9, 0.999, 1e-8, 0), CONTEXT)),
                new Candidate("adamw", () -> new AdamWOptimizerFactory().create(
                        new AdamWOptimizerFactory.Parameters(0.001, 0.9, 0.999, 1e-8, 0.01), CONTEXT)),
                new Candidate("rmsprop", () -> new RmsPropOptimizerFactory().create(
                        new RmsPropOptimizerFactory.Parameters(0.01, 0.99, 1e-8, 0, 0, false), CONTEXT)),
                new Candidate("rmsprop centred momentum", () -> new RmsPropOptimizerFactory().create(
                        new RmsPropOptimizerFactory.Parameters(0.01, 0.99, 1e-8, 0.9, 0, true), CONTEXT)),
                new Candidate("adagrad", () -> new AdagradOptimizerFactory().create(
                        new AdagradOptimizerFactory.Parameters(0.01, 1e-10, 0, 0), CONTEXT)));
        double[] best = new double[candidates.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < candidates.size(); i++) {
                best[i] = Math.min(best[i], microsecondsPerStep(candidates.get(i).optimizer().get(),
                        candidates.get(i).name().endsWith("one call a step")));
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            String reference = candidates.get(i).name().startsWith("adam") ? "djl Adam" : "djl Sgd momentum 0.9";
            double ratio = best[i] / best[candidates.stream().map(Candidate::name).toList().indexOf(reference)];
            System.out.printf(Locale.ROOT, "%-26s %8.1f us/step  %5.2f x %s%n", candidates.get(i).name(), best[i], ratio, reference);
        }
    }

    private static double microsecondsPerStep(Optimizer optimizer, boolean oneCall) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(1);
            List<NDArray> weights = SHAPES.stream().map(shape -> manager.randomNormal(shape).mul(manager.create(0.05f))).toList();
            List<NDArray> gradients = SHAPES.stream().map(shape -> manager.randomNormal(shape).mul(manager.create(0.01f))).toList();
            for (int p = 0; p < weights.size(); p++) {
                weights.get(p).setRequiresGradient(true);
                // One backward gives each weight the gradient array the updates then zero.
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    collector.backward(weights.get(p).mul(gradients.get(p)).sum());
                }
            }
            for (int warmUp = 0; warmUp < 50; warmUp++) {
                step(optimizer, weights, gradients, oneCall);
            }
            long start = System.nanoTime();
            for (int step = 0; step < STEPS; step++) {
                step(optimizer, weights, gradients, oneCall);
            }
            return (System.nanoTime() - start) / 1e3 / STEPS;
        }
    }

    private static void step(Optimizer optimizer, List<NDArray> weights, List<NDArray> gradients, boolean oneCall) {
        if (oneCall) {
            // As the training loop calls a FusedUpdate: every parameter at once, with the weights' own gradients.
            List<NDArray> own = weights.stream().map(NDArray::getGradient).toList();
            ((FusedUpdate) optimizer).updateAll(IDS.subList(0, weights.size()), weights, own);
            own.forEach(NDArray::close);
            return;
        }
        for (int p = 0; p < weights.size(); p++) {
            // DJL's parameter server hands each optimizer a copy of the gradient.
            try (NDArray copy = gradients.get(p).duplicate()) {
                optimizer.update("p" + p, weights.get(p), copy);
            }
        }
    }
}

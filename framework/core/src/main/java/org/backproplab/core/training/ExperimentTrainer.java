package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.OptionalDouble;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.backproplab.core.config.BoundComponent;
import org.backproplab.core.config.RecordDefaults;
import org.backproplab.core.config.ScheduleChoice;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.plugin.ComponentKind;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.TrainingSettings;
import org.backproplab.spi.Callback;
import org.backproplab.spi.CallbackFactory;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.ScheduleContext;
import org.backproplab.spi.ScheduleFactory;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.OptimizerFactory;

/**
 * Trains one experiment with DJL autograd on the PyTorch engine: a short loop over epochs and batches,
 * with everything else (diagnostics, early stopping, the console, the file's {@code callbacks:}) in
 * {@link Callback}s and the evaluation in {@link Evaluator}.
 *
 * <p>Every batch lives in its own {@link NDManager} so memory stays flat across epochs; the seed
 * fixes the engine's initialisation and the batch order, so the same seed and thread count give
 * bit-identical results on CPU. Metrics are recorded every {@code log_every} steps, at the end of
 * every epoch that spans at least {@code log_every} steps, and at the last step.
 */
public final class ExperimentTrainer {

    private final ComponentCatalog catalog;

    @Inject
    public ExperimentTrainer(ComponentCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Creates every component of the experiment without training or logging anything.
     *
     * @throws UserFacingException when a component cannot be created (missing data, a loss that
     *     does not fit the task, a device that is not there)
     */
    public PreparedExperiment prepare(Experiment experiment) {
        Engine engine = Engine.getEngine("PyTorch");
        Device device = DeviceSelector.select(experiment.training().device(), engine);
        try {
            Dataset dataset = create(experiment.dataset(), (DatasetFactory<Record> f, Record p) -> f.create(p,
                    new DatasetContext(experiment.seed())));
            LossFunction lossFunction = create(experiment.loss(), (LossFactory<Record> f, Record p) -> f.create(p, dataset.task()));
            Block block = create(experiment.model(), (ModelFactory<Record> f, Record p) -> f.create(p,
                    new ModelContext(dataset.inputShape(), dataset.outputSize(), dataset.task())));
            int batchSize = Math.min(experiment.training().batchSize(), dataset.train().size());
            int stepsPerEpoch = (dataset.train().size() + batchSize - 1) / batchSize;
            long totalSteps = (long) stepsPerEpoch * experiment.training().epochs();
            OptimizerContext optimizerContext = new OptimizerContext(stepsPerEpoch, totalSteps,
                    schedule(experiment.schedule(), stepsPerEpoch, totalSteps));
            Optimizer optimizer = create(experiment.optimizer(), (OptimizerFactory<Record> f, Record p) -> f.create(p,
                    optimizerContext));
            MetricContext metricContext = new MetricContext(dataset.task(), dataset.outputSize(), dataset.classNames());
            List<Metric> metrics = new ArrayList<>();
            for (BoundComponent metric : metricComponents(experiment, dataset)) {
                metrics.add(create(metric, (MetricFactory<Record> f, Record p) -> f.create(p, metricContext)));
            }
            List<Callback> callbacks = new ArrayList<>();
            for (BoundComponent callback : experiment.callbacks() == null ? List.<BoundComponent>of() : experiment.callbacks()) {
                callbacks.add(create(callback, (CallbackFactory<Record> f, Record p) -> f.create(p)));
            }
            return new PreparedExperiment(experiment, dataset, block, lossFunction, optimizer, optimizerContext, metrics,
                    callbacks, device);
        } catch (ComponentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    /** Trains as {@link #train(PreparedExperiment, TrainingListener, List, BooleanSupplier)} does, with no extra callbacks. */
    public TrainingOutcome train(PreparedExperiment prepared, TrainingListener listener, BooleanSupplier stopRequested) {
        return train(prepared, listener, List.of(), stopRequested);
    }

    /**
     * Trains to the end, until the loss is no longer finite, until a callback asks to stop, or until
     * {@code stopRequested} says so (Ctrl-C).
     *
     * @param listener receives every metric and artifact
     * @param extraCallbacks run after the built-in ones and the file's, e.g. the console or a sweep's pruner
     */
    public TrainingOutcome train(PreparedExperiment prepared, TrainingListener listener, List<Callback> extraCallbacks,
            BooleanSupplier stopRequested) {
        Experiment experiment = prepared.experiment();
        TrainingSettings settings = experiment.training();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(Long.hashCode(experiment.seed()));
        Dataset dataset = prepared.dataset();
        Loss loss = prepared.lossFunction().loss();
        try (Model model = Model.newInstance(experiment.name(), prepared.device(), engine.getEngineName())) {
            model.setBlock(prepared.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(prepared.optimizer())
                    .optDevices(new Device[] {prepared.device()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1).addAll(dataset.inputShape()));
                int stepsPerEpoch = prepared.stepsPerEpoch();
                List<Callback> callbacks = new ArrayList<>();
                callbacks.add(new DiagnosticsCallback(experiment.diagnostics()));
                if (settings.earlyStopping() != null) {
                    callbacks.add(new EarlyStopper(settings.earlyStopping()));
                }
                callbacks.addAll(prepared.callbacks());
                callbacks.addAll(extraCallbacks);
                TrainingRun run = new TrainingRun(prepared.block(), settings.epochs(), stepsPerEpoch, listener, callbacks);
                Loop loop = new Loop(prepared, run, trainer, model.getNDManager());
                return loop.run(stopRequested);
            }
        }
    }

    /** One run's loop and the state it keeps between steps. */
    private static final class Loop {

        private final PreparedExperiment prepared;
        private final TrainingSettings settings;
        private final TrainingRun run;
        private final Trainer trainer;
        private final NDManager manager;
        private final Loss loss;
        private final GradientClipping clipping;
        private final Evaluator evaluator;
        private final ShuffledBatches batches;
        private double windowLoss;
        private int windowSteps;

        Loop(PreparedExperiment prepared, TrainingRun run, Trainer trainer, NDManager manager) {
            this.prepared = prepared;
            this.settings = prepared.experiment().training();
            this.run = run;
            this.trainer = trainer;
            this.manager = manager;
            this.loss = prepared.lossFunction().loss();
            this.clipping = new GradientClipping(settings, prepared.block());
            Dataset dataset = prepared.dataset();
            this.evaluator = new Evaluator(dataset.test().orElse(null), prepared.lossFunction(),
                    dataset.task().isClassification(), prepared.metrics());
            this.batches = new ShuffledBatches(dataset.train(), settings.batchSize(), settings.shuffle(),
                    prepared.experiment().seed());
        }

        TrainingOutcome run(BooleanSupplier stopRequested) {
            long totalSteps = run.totalSteps();
            int stepsPerEpoch = run.stepsPerEpoch();
            double secondsSum = 0;
            int epochsRun = 0;
            run.trainStart();
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                run.startEpoch(epoch);
                batches.startEpoch();
                for (int batchIndex = 0; batchIndex < stepsPerEpoch; batchIndex++) {
                    if (stopRequested.getAsBoolean()) {
                        return end(TrainingOutcome.Ending.STOPPED, epochsRun, secondsSum,
                                "stopped at step " + run.step() + " (epoch " + epoch + ")");
                    }
                    long step = run.step() + 1;
                    boolean lastOfEpoch = batchIndex == stepsPerEpoch - 1;
                    run.startStep(step % settings.logEvery() == 0
                            || (lastOfEpoch && stepsPerEpoch >= settings.logEvery())
                            || step == totalSteps);
                    float lossValue = step(batchIndex);
                    if (!Float.isFinite(lossValue)) {
                        run.recordMetric("train/loss", lossValue);
                        return end(TrainingOutcome.Ending.DIVERGED, epochsRun, secondsSum, String.format(Locale.ROOT,
                                "diverged at step %d (epoch %d): train/loss is %s", step, epoch, lossValue));
                    }
                    windowLoss += lossValue;
                    windowSteps++;
                    if (run.isLogStep()) {
                        logged();
                    }
                    if (run.stopReason() != null) {
                        return end(TrainingOutcome.Ending.COMPLETED, epochsRun, secondsSum, String.format(Locale.ROOT,
                                "stopped early at step %d (epoch %d): %s", step, epoch, run.stopReason()));
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                secondsSum += seconds;
                if (stepsPerEpoch >= settings.logEvery() || epoch == settings.epochs()) {
                    run.recordMetric("time/epoch_seconds", seconds);
                    run.recordMetric("train/epoch", epoch);
                    run.recordMetric("memory/resident_mb", ResidentMemory.megabytes());
                }
                epochsRun = epoch;
                run.epochEnded(seconds);
            }
            return end(TrainingOutcome.Ending.COMPLETED, epochsRun, secondsSum, null);
        }

        /** One optimizer step on batch {@code batchIndex} of the epoch; returns its loss. */
        private float step(int batchIndex) {
            try (NDManager stepManager = manager.newSubManager()) {
                NDList batch = batches.batch(batchIndex, stepManager);
                NDArray output;
                NDArray lossArray;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    output = trainer.forward(new NDList(batch.get(0))).singletonOrThrow();
                    lossArray = loss.evaluate(new NDList(batch.get(1)), new NDList(output));
                    collector.backward(lossArray);
                }
                StepContext step = new StepContext(run.step(), batch.get(0), batch.get(1), output, lossArray, stepManager);
                float lossValue = step.lossValue();
                if (!Float.isFinite(lossValue)) {
                    return lossValue;
                }
                run.beforeUpdate(step); // sees the gradients as backward made them, before clipping
                boolean measure = run.isLogStep() || run.step() == 1;
                double globalNorm = clipping.apply(stepManager, measure);
                if (measure && !Double.isNaN(globalNorm)) {
                    run.recordMetric("grad_norm/global", globalNorm);
                }
                trainer.step();
                run.afterUpdate(step);
                return lossValue;
            }
        }

        /** A logging step: the window's mean loss, the learning rate, an evaluation of the test split. */
        private void logged() {
            run.recordMetric("train/loss", windowLoss / windowSteps);
            windowLoss = 0;
            windowSteps = 0;
            OptionalDouble learningRate = prepared.optimizerContext().learningRateAt(run.step() - 1);
            if (learningRate.isPresent()) {
                run.recordMetric("train/lr", learningRate.getAsDouble());
            }
            Map<String, Double> evaluation = evaluator.evaluate(trainer, manager);
            evaluation.forEach(run::recordMetric);
            run.evaluated(evaluation);
        }

        private TrainingOutcome end(TrainingOutcome.Ending ending, int epochsRun, double secondsSum, String message) {
            String text = switch (ending) {
                case COMPLETED -> (message == null ? "" : message + "; ") + summary(prepared.dataset(), run.latestMetrics(), run.step());
                case DIVERGED, STOPPED -> message;
            };
            evaluator.artifacts().forEach(run::recordArtifact);
            run.trainEnded(text);
            double secondsPerEpoch = epochsRun > 0 ? secondsSum / epochsRun : Double.NaN;
            return new TrainingOutcome(ending, run.step(), epochsRun, run.latestCopy(), secondsPerEpoch, text,
                    ending == TrainingOutcome.Ending.COMPLETED ? smallModelParameters(prepared.block()) : Map.of());
        }
    }

    private Schedule schedule(ScheduleChoice choice, int stepsPerEpoch, long totalSteps) {
        if (choice == null) {
            return Schedule.CONSTANT;
        }
        int warmup = choice.warmupSteps();
        Schedule schedule = create(choice.component(), (ScheduleFactory<Record> f, Record p) -> f.create(p,
                new ScheduleContext(stepsPerEpoch, Math.max(1, totalSteps - warmup))));
        return warmup == 0 ? schedule : new WarmupSchedule(warmup, schedule);
    }

    /** The file's {@code metrics:}, or every installed metric that is on by default for the task. */
    private List<BoundComponent> metricComponents(Experiment experiment, Dataset dataset) {
        if (experiment.metrics() != null) {
            return experiment.metrics();
        }
        List<BoundComponent> defaults = new ArrayList<>();
        catalog.factories(ComponentKind.METRIC).forEach((name, factory) -> {
            if (((MetricFactory<?>) factory).enabledByDefault(dataset.task())) {
                defaults.add(new BoundComponent(ComponentKind.METRIC, name, factory, RecordDefaults.of(factory.parametersType())));
            }
        });
        return defaults;
    }

    private static Map<String, float[]> smallModelParameters(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        long total = 0;
        for (var entry : block.getParameters()) {
            total += entry.getValue().getArray().size();
            if (total > TrainingOutcome.SMALL_MODEL) {
                return Map.of();
            }
            values.put(entry.getKey(), entry.getValue().getArray().toFloatArray());
        }
        return java.util.Collections.unmodifiableMap(values);
    }

    private static String summary(Dataset dataset, Map<String, Double> latest, long steps) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d steps, final train/loss %.4g", steps,
                latest.getOrDefault("train/loss", Double.NaN)));
        dataset.test().ifPresent(test -> {
            text.append(String.format(Locale.ROOT, ", eval/loss %.4g", latest.getOrDefault("eval/loss", Double.NaN)));
            Double accuracy = latest.get("eval/accuracy");
            if (dataset.task().isClassification() && accuracy != null) {
                long right = Math.round(accuracy * test.size());
                text.append(String.format(Locale.ROOT, ", eval/accuracy %.4f (%d of %d test examples right)",
                        accuracy, right, test.size()));
            }
        });
        return text.toString();
    }

    /** How a factory of one kind makes its component. */
    @FunctionalInterface
    private interface Maker<F, T> {
        T make(F factory, Record parameters);
    }

    @SuppressWarnings("unchecked")
    private static <F, T> T create(BoundComponent component, Maker<F, T> maker) {
        return maker.make((F) component.factory(), component.parameters());
    }
}

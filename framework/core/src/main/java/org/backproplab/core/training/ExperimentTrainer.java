package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
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
import org.backproplab.spi.FusedUpdate;
import org.backproplab.spi.UpdateScript;
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
    private final DatasetCache datasets;

    @Inject
    public ExperimentTrainer(ComponentCatalog catalog, DatasetCache datasets) {
        this.catalog = catalog;
        this.datasets = datasets;
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
            // The same block and seed make the same dataset: a sweep's trials load it once per process.
            Dataset dataset = datasets.get(experiment.resolved().get("dataset") + " seed " + experiment.seed(),
                    () -> create(experiment.dataset(), (DatasetFactory<Record> f, Record p) -> f.create(p,
                            new DatasetContext(experiment.seed()))));
            LossFunction lossFunction = create(experiment.loss(), (LossFactory<Record> f, Record p) -> f.create(p, dataset.task()));
            Block block = create(experiment.model(), (ModelFactory<Record> f, Record p) -> f.create(p,
                    new ModelContext(dataset.inputShape(), dataset.outputSize(), dataset.task())));
            if (!experiment.modelInitial().isEmpty()) {
                // Given start values are checked against the real shapes here, before any run exists in MLflow.
                // Seeded as train() seeds, so the parameters not given start as they would without model.initial.
                // The block's parameters live in this manager for as long as the block does.
                engine.setRandomSeed(Long.hashCode(experiment.seed()));
                InitialParameters.initialiseAndApply(block, experiment.modelInitial(),
                        NDManager.newBaseManager(device, engine.getEngineName()), dataset.inputShape());
            }
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
        return train(prepared, listener, extraCallbacks, stopRequested, PhaseClock.NONE);
    }

    /**
     * Trains as {@link #train(PreparedExperiment, TrainingListener, List, BooleanSupplier)} does, telling
     * {@code clock} as each phase of each step ends ({@code ./lab bench step} times the phases so).
     */
    public TrainingOutcome train(PreparedExperiment prepared, TrainingListener listener, List<Callback> extraCallbacks,
            BooleanSupplier stopRequested, PhaseClock clock) {
        return train(prepared, listener, extraCallbacks, stopRequested, clock, spareCore());
    }

    /**
     * Whether a core is left beside PyTorch's threads for assembling the next batch. Measured with {@code ./lab
     * bench step} on two cores: with two PyTorch threads the prefetching thread made a step 22 % slower (4.46 ms
     * against 3.64 ms), with one it changed nothing (2.88 ms against 2.90 ms).
     */
    static boolean spareCore() {
        int cores = Runtime.getRuntime().availableProcessors();
        return cores > Integer.getInteger("ai.djl.pytorch.num_threads", cores);
    }

    /**
     * Trains as {@link #train(PreparedExperiment, TrainingListener, List, BooleanSupplier, PhaseClock)} does, with
     * the next batch assembled on a background thread or not: the results are the same, bit for bit.
     */
    public TrainingOutcome train(PreparedExperiment prepared, TrainingListener listener, List<Callback> extraCallbacks,
            BooleanSupplier stopRequested, PhaseClock clock, boolean prefetch) {
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
                callbacks.add(new DiagnosticsCallback(experiment.diagnostics(), loss));
                if (settings.earlyStopping() != null) {
                    callbacks.add(new EarlyStopper(settings.earlyStopping()));
                }
                callbacks.addAll(prepared.callbacks());
                callbacks.addAll(extraCallbacks);
                TrainingRun run = new TrainingRun(prepared.block(), settings.epochs(), stepsPerEpoch, listener, callbacks);
                try (Loop loop = new Loop(prepared, run, trainer, model.getNDManager(), clock, prefetch)) {
                    return loop.run(stopRequested);
                }
            }
        }
    }

    /** One run's loop and the state it keeps between steps. */
    private static final class Loop implements AutoCloseable {

        private final PreparedExperiment prepared;
        private final TrainingSettings settings;
        private final TrainingRun run;
        private final Trainer trainer;
        private final NDManager manager;
        private final Loss loss;
        private final GradientClipping clipping;
        private final Evaluator evaluator;
        private final ShuffledBatches batches;
        private final PhaseClock clock;
        private final List<Parameter> trained = new ArrayList<>();
        /** Every parameter of the block, trained or not (batch norm's running statistics), in its order. */
        private final List<Parameter> parameters = new ArrayList<>();
        private List<NDArray> parameterArrays;
        /** The trained parameters' ids and arrays, from the second step on (their arrays do not change). */
        private List<String> trainedIds;
        private List<NDArray> trainedWeights;
        /** The trained parameters' gradients, in the model's manager, from the second step on. */
        private List<NDArray> trainedGradients;
        /** Forward, loss and backward in one engine call, where the model and the loss are written as TorchScript. */
        private final Optional<ScriptedStep> scripted;
        /** The scripted step and the optimizer's update in one engine call, where the optimizer writes it as TorchScript. */
        private final Optional<ScriptedStep> scriptedUpdating;
        /** The losses since the last log, summed on the engine in float64: read only when logged. */
        private NDArray windowLoss;
        private int windowSteps;

        Loop(PreparedExperiment prepared, TrainingRun run, Trainer trainer, NDManager manager, PhaseClock clock,
                boolean prefetch) {
            this.prepared = prepared;
            this.clock = clock;
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
                    prepared.experiment().seed(), prefetch, spareCore(), manager);
            List<Boolean> trainedMask = new ArrayList<>();
            for (Pair<String, Parameter> entry : prepared.block().getParameters()) {
                parameters.add(entry.getValue());
                trainedMask.add(entry.getValue().requiresGradient());
                if (entry.getValue().requiresGradient()) {
                    trained.add(entry.getValue());
                }
            }
            this.scripted = ScriptedStep.of(prepared.block(), prepared.lossFunction(), trainedMask);
            this.scriptedUpdating = prepared.optimizer() instanceof FusedUpdate fused && ScriptedStep.updatesInStep()
                    ? scripted.flatMap(step -> fused.updateScript().flatMap(step::withUpdate))
                    : Optional.empty();
        }

        @Override
        public void close() {
            batches.close();
            scripted.ifPresent(ScriptedStep::close);
            scriptedUpdating.ifPresent(ScriptedStep::close);
            if (trainedGradients != null) {
                trainedGradients.forEach(NDArray::close);
            }
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
                    clock.stepStarted();
                    long step = run.step() + 1;
                    boolean lastOfEpoch = batchIndex == stepsPerEpoch - 1;
                    run.startStep(step % settings.logEvery() == 0
                            || (lastOfEpoch && stepsPerEpoch >= settings.logEvery())
                            || step == totalSteps);
                    step(batchIndex);
                    if (run.isLogStep()) {
                        WindowLoss loss = readWindowLoss();
                        if (!Double.isFinite(loss.mean())) {
                            return diverged(loss, step, epoch, epochsRun, secondsSum);
                        }
                        logged(loss.mean());
                    }
                    clock.phaseEnded(PhaseClock.Phase.BOOKKEEPING);
                    if (run.stopReason() != null) {
                        WindowLoss loss = readWindowLoss(); // since the last log: a stop may come at any step
                        if (!Double.isFinite(loss.mean())) {
                            return diverged(loss, step, epoch, epochsRun, secondsSum);
                        }
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

        /**
         * Divergence is checked where the loss is read, at logged steps: a NaN or infinite loss poisons the window's
         * sum, so no diverged step goes unseen, and the steps in between never wait for the engine.
         */
        private TrainingOutcome diverged(WindowLoss loss, long step, int epoch, int epochsRun, double secondsSum) {
            run.recordMetric("train/loss", loss.mean());
            String window = loss.steps() == 1 ? "step " + step : "steps " + (step - loss.steps() + 1) + "-" + step;
            return end(TrainingOutcome.Ending.DIVERGED, epochsRun, secondsSum, String.format(Locale.ROOT,
                    "diverged at step %d (epoch %d): train/loss is %s (its mean over %s)", step, epoch, loss.mean(),
                    window));
        }

        /** The loss's mean over the steps since the last read, which starts a new window. */
        private record WindowLoss(double mean, int steps) {}

        private WindowLoss readWindowLoss() {
            if (windowSteps == 0) {
                return new WindowLoss(0, 0);
            }
            WindowLoss loss = new WindowLoss(windowLoss.getDouble() / windowSteps, windowSteps);
            windowLoss.close();
            windowLoss = null;
            windowSteps = 0;
            return loss;
        }

        /** One optimizer step on batch {@code batchIndex} of the epoch. */
        private void step(int batchIndex) {
            try (NDManager stepManager = manager.newSubManager()) {
                NDList batch = batches.batch(batchIndex, stepManager);
                clock.phaseEnded(PhaseClock.Phase.BATCH);
                NDArray output;
                NDArray lossArray;
                List<NDArray> gradients = null;
                boolean measure = run.isLogStep() || run.step() == 1;
                Optional<UpdateScript.Arguments> update = Optional.empty();
                if (scriptedUpdating.isPresent() && run.step() > 1 && !measure && !clipping.clips()
                        && !run.callbacksReadBeforeUpdate()) {
                    // Nothing reads the gradients before the update: it runs in the step's own call.
                    update = ((FusedUpdate) prepared.optimizer()).scriptArguments(trainedIds(), trainedWeights());
                }
                if (update.isPresent()) {
                    gradients = gradients();
                    NDList result = scriptedUpdating.get().runUpdating(batch.get(0), batch.get(1), parameterArrays(),
                            gradients, trainedWeights(), update.get(), stepManager);
                    output = result.get(0);
                    lossArray = result.get(1);
                    clock.phaseEnded(PhaseClock.Phase.FORWARD); // forward, loss, backward and the update in one call
                } else if (scripted.isPresent() && run.step() > 1) {
                    // After the first step every gradient exists, for the script to add to as autograd would.
                    gradients = gradients();
                    NDList result = scripted.get().run(batch.get(0), batch.get(1), parameterArrays(), gradients,
                            stepManager);
                    output = result.get(0);
                    lossArray = result.get(1);
                    clock.phaseEnded(PhaseClock.Phase.FORWARD); // forward, loss and backward in one call
                } else {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        output = trainer.forward(new NDList(batch.get(0))).singletonOrThrow();
                        clock.phaseEnded(PhaseClock.Phase.FORWARD);
                        lossArray = loss.evaluate(new NDList(batch.get(1)), new NDList(output));
                        clock.phaseEnded(PhaseClock.Phase.LOSS);
                        collector.backward(lossArray);
                    }
                    clock.phaseEnded(PhaseClock.Phase.BACKWARD);
                }
                StepContext step = new StepContext(run.step(), batch.get(0), batch.get(1), output, lossArray, stepManager);
                if (windowLoss == null) {
                    windowLoss = manager.zeros(lossArray.getShape(), DataType.FLOAT64);
                }
                windowLoss.addi(lossArray); // float64 += float32, as a Java double sum would
                windowSteps++;
                clock.phaseEnded(PhaseClock.Phase.BOOKKEEPING);
                run.beforeUpdate(step); // sees the gradients as backward made them, before clipping
                if (update.isEmpty()) {
                    double globalNorm = clipping.apply(stepManager, measure);
                    if (measure && !Double.isNaN(globalNorm)) {
                        run.recordMetric("grad_norm/global", globalNorm);
                    }
                    clock.phaseEnded(PhaseClock.Phase.DIAGNOSTICS);
                    update(gradients);
                    clock.phaseEnded(PhaseClock.Phase.OPTIMIZER);
                }
                run.afterUpdate(step);
                clock.phaseEnded(PhaseClock.Phase.DIAGNOSTICS);
            }
        }

        /**
         * The optimizer's update of every trained parameter with its gradient. After the first step (DJL's
         * {@code Trainer.step()}, which checks that backward made gradients) the optimizer is called directly, with all
         * parameters in one call where it fuses them ({@link org.backproplab.spi.FusedUpdate}, Adam's): the trainer's
         * parameter server would copy every gradient first, for devices this loop never has more than one of.
         */
        private void update(List<NDArray> stepGradients) {
            if (run.step() == 1) {
                trainer.step();
                return;
            }
            List<NDArray> weights = trainedWeights();
            List<NDArray> gradients = stepGradients;
            try {
                if (gradients == null) {
                    gradients = new ArrayList<>(weights.size());
                    for (NDArray weight : weights) {
                        gradients.add(weight.getGradient());
                    }
                }
                OptimizerStep.update(prepared.optimizer(), trainedIds, weights, gradients);
            } finally {
                if (stepGradients == null && gradients != null) {
                    gradients.forEach(NDArray::close);
                }
            }
        }

        /** The trained parameters' ids, in their order. */
        private List<String> trainedIds() {
            trainedWeights();
            return trainedIds;
        }

        /** The trained parameters' arrays (from the second step on: before it, DJL may still replace them). */
        private List<NDArray> trainedWeights() {
            if (trainedIds == null) {
                trainedIds = trained.stream().map(Parameter::getId).toList();
                trainedWeights = trained.stream().map(Parameter::getArray).toList();
            }
            return trainedWeights;
        }

        /** Every parameter's array, in the block's order (from the second step on, as {@link #trainedWeights}). */
        private List<NDArray> parameterArrays() {
            if (parameterArrays == null) {
                parameterArrays = parameters.stream().map(Parameter::getArray).toList();
            }
            return parameterArrays;
        }

        /**
         * The trained parameters' gradients, fetched once at the second step and kept: backward and the update change
         * them in place from then on, and the same arrays let the scripted step reuse its arguments.
         */
        private List<NDArray> gradients() {
            if (trainedGradients == null) {
                trainedGradients = trainedWeights().stream().map(NDArray::getGradient).toList();
            }
            return trainedGradients;
        }

        /** A logging step: the window's mean loss, the learning rate, an evaluation of the test split. */
        private void logged(double meanLoss) {
            run.recordMetric("train/loss", meanLoss);
            OptionalDouble learningRate = prepared.optimizerContext().learningRateAt(run.step() - 1);
            if (learningRate.isPresent()) {
                run.recordMetric("train/lr", learningRate.getAsDouble());
            }
            clock.phaseEnded(PhaseClock.Phase.BOOKKEEPING);
            Map<String, Double> evaluation = scripted.isPresent()
                    ? evaluator.evaluate(manager, (input, target, chunk) -> scripted.get().evaluate(input, target,
                            parameterArrays(), chunk))
                    : evaluator.evaluate(trainer, manager);
            clock.phaseEnded(PhaseClock.Phase.EVALUATION);
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

    /** Test examples per forward pass of an evaluation (the last pass takes what is left). */
    public static int evaluationChunk() {
        return Evaluator.CHUNK;
    }

    /** A fresh, uninitialised block of the experiment's model, for checks that need their own copy (GradientCheck). */
    static Block createModel(BoundComponent component, ModelContext context) {
        return create(component, (ModelFactory<Record> f, Record p) -> f.create(p, context));
    }
}

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
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.backproplab.core.config.BoundComponent;
import org.backproplab.core.config.DiagnosticsSettings;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.TrainingSettings;
import org.backproplab.spi.Callback;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.ExampleSource;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.Schedule;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.OptimizerFactory;

/**
 * Trains one experiment with DJL autograd on the PyTorch engine.
 *
 * <p>Every batch lives in its own {@link NDManager} so memory stays flat across epochs; the seed
 * fixes the engine's initialisation and the batch order, so the same seed and thread count give
 * bit-identical results on CPU. Metrics are recorded every {@code log_every} steps, at the end of
 * every epoch that spans at least {@code log_every} steps, and at the last step.
 */
public final class ExperimentTrainer {

    /** Test splits are evaluated in chunks of this many examples to bound memory. */
    private static final int EVALUATION_CHUNK = 10_000;

    private final DatasetCache datasets;

    @Inject
    public ExperimentTrainer(DatasetCache datasets) {
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
            String datasetKey = experiment.resolved().get("dataset") + " seed " + experiment.seed();
            Dataset dataset = datasets.get(datasetKey,
                    () -> createDataset(experiment.dataset(), new DatasetContext(experiment.seed())));
            LossFunction lossFunction = createLoss(experiment.loss(), dataset);
            Block block = createModel(experiment.model(),
                    new ModelContext(dataset.inputShape(), dataset.outputSize(), dataset.task()));
            int batchSize = Math.min(experiment.training().batchSize(), dataset.train().size());
            int stepsPerEpoch = (dataset.train().size() + batchSize - 1) / batchSize;
            Optimizer optimizer = createOptimizer(experiment.optimizer(), new OptimizerContext(
                    stepsPerEpoch, (long) stepsPerEpoch * experiment.training().epochs(), Schedule.CONSTANT));
            return new PreparedExperiment(experiment, dataset, block, lossFunction, optimizer, device);
        } catch (ComponentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    /** Trains to the end, until the loss is no longer finite, or until {@code stopRequested} says so. */
    public TrainingOutcome train(PreparedExperiment prepared, TrainingListener listener, BooleanSupplier stopRequested) {
        return train(prepared, listener, stopRequested, List.of());
    }

    /**
     * Trains as {@link #train(PreparedExperiment, TrainingListener, BooleanSupplier)} does, telling {@code callbacks}
     * of every evaluation; a stop one of them requests ends training early, COMPLETED, with its reason.
     */
    // Interim until the SPI 0.2 callbacks run here for every hook: only onEvaluation, which a sweep's pruner needs.
    public TrainingOutcome train(PreparedExperiment prepared, TrainingListener listener, BooleanSupplier stopRequested,
            List<Callback> callbacks) {
        Experiment experiment = prepared.experiment();
        TrainingSettings settings = experiment.training();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(Long.hashCode(experiment.seed()));
        Dataset dataset = prepared.dataset();
        Loss loss = prepared.lossFunction().loss();
        Map<String, Double> latest = new LinkedHashMap<>();
        EarlyStopper earlyStopper = new EarlyStopper(settings.earlyStopping());
        TrainingListener recording = TrainingListener.all(List.of(new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                latest.put(key, value);
            }
        }, earlyStopper, listener));

        try (Model model = Model.newInstance(experiment.name(), prepared.device(), engine.getEngineName())) {
            model.setBlock(prepared.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(prepared.optimizer())
                    .optDevices(new Device[] {prepared.device()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1).addAll(dataset.inputShape()));
                LayerGradients layers = new LayerGradients(prepared.block());
                DiagnosticsSettings diagnostics = experiment.diagnostics();
                LayerDiagnostics activations = new LayerDiagnostics(prepared.block(), layers.names(), diagnostics.saturationThreshold());
                double[] lastGradientNorms = null;
                double initialRatio = Double.NaN;
                ShuffledBatches batches = new ShuffledBatches(
                        dataset.train(), settings.batchSize(), settings.shuffle(), experiment.seed());
                int batchesPerEpoch = batches.batchesPerEpoch();
                long totalSteps = (long) batchesPerEpoch * settings.epochs();
                long step = 0;
                double windowLoss = 0;
                int windowSteps = 0;
                double secondsSum = 0;
                int epochsRun = 0;
                String stoppedEarly = null;
                epochs:
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    long epochStart = System.nanoTime();
                    batches.startEpoch();
                    for (int batchIndex = 0; batchIndex < batchesPerEpoch; batchIndex++) {
                        if (stopRequested.getAsBoolean()) {
                            return new TrainingOutcome(TrainingOutcome.Ending.STOPPED, step, epoch - 1, Map.copyOf(latest),
                                    epoch > 1 ? secondsSum / (epoch - 1) : Double.NaN,
                                    "stopped at step " + step + " (epoch " + epoch + ")", Map.of());
                        }
                        step++;
                        boolean lastOfEpoch = batchIndex == batchesPerEpoch - 1;
                        boolean logNow = step % settings.logEvery() == 0
                                || (lastOfEpoch && batchesPerEpoch >= settings.logEvery())
                                || step == totalSteps;
                        boolean diagnoseNow = logNow || step == 1 || (diagnostics.every() > 0 && step % diagnostics.every() == 0);
                        try (NDManager batchManager = model.getNDManager().newSubManager()) {
                            NDList batch = batches.batch(batchIndex, batchManager);
                            float lossValue;
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray output = trainer.forward(new NDList(batch.get(0))).singletonOrThrow();
                                NDArray lossArray = loss.evaluate(new NDList(batch.get(1)), new NDList(output));
                                collector.backward(lossArray);
                                lossValue = lossArray.getFloat();
                            }
                            if (!Float.isFinite(lossValue)) {
                                recording.onMetric("train/loss", lossValue, step);
                                String message = String.format(Locale.ROOT, "diverged at step %d (epoch %d): train/loss is %s",
                                        step, epoch, lossValue);
                                return new TrainingOutcome(TrainingOutcome.Ending.DIVERGED, step, epoch - 1, Map.copyOf(latest),
                                        epoch > 1 ? secondsSum / (epoch - 1) : Double.NaN, message, Map.of());
                            }
                            windowLoss += lossValue;
                            windowSteps++;
                            if (diagnoseNow) {
                                lastGradientNorms = layers.gradientNorms(batchManager);
                                record(recording, "grad_norm/", layers.names(), lastGradientNorms, step);
                                if (step == 1) {
                                    initialRatio = firstOverLast(lastGradientNorms);
                                }
                            }
                            List<NDArray> weightsBefore = diagnoseNow && diagnostics.enabled()
                                    ? layers.weightCopies(batchManager) : List.of();
                            if (!weightsBefore.isEmpty()) {
                                record(recording, "weight_norm/", layers.names(), layers.norms(weightsBefore), step);
                                long measuredStep = step;
                                activations.measure(batch.get(0), batchManager)
                                        .forEach((key, value) -> recording.onMetric(key, value, measuredStep));
                            }
                            trainer.step();
                            if (!weightsBefore.isEmpty()) {
                                record(recording, "update_ratio/", layers.names(), layers.updateRatios(weightsBefore), step);
                            }
                        }
                        if (logNow) {
                            recording.onMetric("train/loss", windowLoss / windowSteps, step);
                            windowLoss = 0;
                            windowSteps = 0;
                            Map<String, Double> evaluated = new LinkedHashMap<>();
                            evaluate(trainer, model, prepared, step, TrainingListener.all(List.of(recording,
                                    new TrainingListener() {
                                        @Override
                                        public void onMetric(String key, double value, long at) {
                                            evaluated.put(key, value);
                                        }
                                    })));
                            if (!callbacks.isEmpty()) {
                                EvaluationTraining training = new EvaluationTraining(prepared.block(), step, epoch,
                                        settings.epochs(), batchesPerEpoch, Map.copyOf(latest), recording);
                                callbacks.forEach(callback -> callback.onEvaluation(training, Map.copyOf(evaluated)));
                                if (training.stopReason() != null) {
                                    stoppedEarly = String.format(Locale.ROOT, "stopped early at step %d (epoch %d): %s",
                                            step, epoch, training.stopReason());
                                    break epochs;
                                }
                            }
                            if (earlyStopper.shouldStop()) {
                                stoppedEarly = earlyStopper.reason(step, epoch);
                                break epochs;
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    secondsSum += seconds;
                    if (batchesPerEpoch >= settings.logEvery() || epoch == settings.epochs()) {
                        recording.onMetric("time/epoch_seconds", seconds, step);
                        recording.onMetric("train/epoch", epoch, step);
                        recording.onMetric("memory/resident_mb", ResidentMemory.megabytes(), step);
                    }
                    listener.onEpochEnd(epoch, settings.epochs(), seconds, Map.copyOf(latest));
                    epochsRun = epoch;
                }
                recording.onMetric("summary/grad_ratio_first_last_init", initialRatio, step);
                recording.onMetric("summary/grad_ratio_first_last_end",
                        lastGradientNorms == null ? Double.NaN : firstOverLast(lastGradientNorms), step);
                double secondsPerEpoch = epochsRun > 0 ? secondsSum / epochsRun : Double.NaN;
                String message = (stoppedEarly == null ? "" : stoppedEarly + "; ") + summary(dataset, latest, step);
                return new TrainingOutcome(TrainingOutcome.Ending.COMPLETED, step, epochsRun, Map.copyOf(latest), secondsPerEpoch,
                        message, smallModelParameters(prepared.block()));
            }
        }
    }

    private static void evaluate(Trainer trainer, Model model, PreparedExperiment prepared, long step, TrainingListener listener) {
        ExampleSource test = prepared.dataset().test().orElse(null);
        if (test == null) {
            return;
        }
        Loss loss = prepared.lossFunction().loss();
        boolean classification = prepared.dataset().task().isClassification();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < test.size(); start += EVALUATION_CHUNK) {
            int end = Math.min(start + EVALUATION_CHUNK, test.size());
            try (NDManager chunkManager = model.getNDManager().newSubManager()) {
                NDList chunk = ShuffledBatches.rows(test, null, start, end, chunkManager);
                NDArray target = chunk.get(1);
                NDArray output = trainer.evaluate(new NDList(chunk.get(0))).singletonOrThrow();
                lossSum += loss.evaluate(new NDList(target), new NDList(output)).getFloat() * (end - start);
                if (classification) {
                    NDArray predicted = prepared.lossFunction().predictLabels(output).toType(DataType.FLOAT32, false);
                    correct += predicted.reshape(-1).eq(target.reshape(-1)).countNonzero().getLong();
                }
            }
        }
        listener.onMetric("eval/loss", lossSum / test.size(), step);
        if (classification) {
            listener.onMetric("eval/accuracy", (double) correct / test.size(), step);
        }
    }

    private static void record(TrainingListener listener, String prefix, List<String> names, double[] values, long step) {
        for (int i = 0; i < values.length; i++) {
            listener.onMetric(prefix + names.get(i), values[i], step);
        }
    }

    /** How much smaller the gradient next to the input is than the one at the output: the vanishing factor. */
    private static double firstOverLast(double[] norms) {
        return norms.length == 0 ? Double.NaN : norms[0] / norms[norms.length - 1];
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
            if (dataset.task().isClassification()) {
                double accuracy = latest.getOrDefault("eval/accuracy", Double.NaN);
                long right = Math.round(accuracy * test.size());
                text.append(String.format(Locale.ROOT, ", eval/accuracy %.4f (%d of %d test examples right)",
                        accuracy, right, test.size()));
            }
        });
        return text.toString();
    }

    @SuppressWarnings("unchecked")
    private static <P extends Record> Dataset createDataset(BoundComponent component, DatasetContext context) {
        return ((DatasetFactory<P>) component.factory()).create((P) component.parameters(), context);
    }

    @SuppressWarnings("unchecked")
    private static <P extends Record> LossFunction createLoss(BoundComponent component, Dataset dataset) {
        return ((LossFactory<P>) component.factory()).create((P) component.parameters(), dataset.task());
    }

    @SuppressWarnings("unchecked")
    private static <P extends Record> Block createModel(BoundComponent component, ModelContext context) {
        return ((ModelFactory<P>) component.factory()).create((P) component.parameters(), context);
    }

    @SuppressWarnings("unchecked")
    private static <P extends Record> Optimizer createOptimizer(BoundComponent component, OptimizerContext context) {
        return ((OptimizerFactory<P>) component.factory()).create((P) component.parameters(), context);
    }
}

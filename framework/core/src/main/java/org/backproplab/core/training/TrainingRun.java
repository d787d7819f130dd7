package org.backproplab.core.training;

import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Step;
import org.backproplab.spi.Training;

/**
 * Where a run stands, as its callbacks see it ({@link Training}), and the one place metrics and
 * artifacts pass through on their way to the listener: every recorded value is also kept as the
 * latest of its key. Also dispatches each hook to the callbacks in order.
 */
final class TrainingRun implements Training {

    private final Block model;
    private final List<Layer> layers;
    private final int epochs;
    private final int stepsPerEpoch;
    private final TrainingListener listener;
    private final List<Callback> callbacks;
    /** The callbacks that override {@code beforeUpdate}: only they are asked whether they read before the update. */
    private final List<Callback> readers;
    private final Map<String, Double> latest = new LinkedHashMap<>();
    private long step;
    private int epoch;
    private boolean logStep;
    private String stopReason;

    TrainingRun(Block model, int epochs, int stepsPerEpoch, TrainingListener listener, List<Callback> callbacks) {
        this.model = model;
        this.layers = Layers.of(model);
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.listener = listener;
        this.callbacks = List.copyOf(callbacks);
        this.readers = this.callbacks.stream().filter(TrainingRun::overridesBeforeUpdate).toList();
    }

    void startEpoch(int epoch) {
        this.epoch = epoch;
    }

    void startStep(boolean logStep) {
        step++;
        this.logStep = logStep;
    }

    /** The reason a callback gave for stopping, or {@code null} while none asked. */
    String stopReason() {
        return stopReason;
    }

    void trainStart() {
        callbacks.forEach(callback -> callback.onTrainStart(this));
    }

    /**
     * Whether any callback's {@code beforeUpdate} reads gradients or weights at this step: one that overrides it and
     * says so ({@link Callback#readsBeforeUpdate}).
     */
    boolean callbacksReadBeforeUpdate() {
        for (Callback reader : readers) {
            if (reader.readsBeforeUpdate(this)) {
                return true;
            }
        }
        return false;
    }

    private static boolean overridesBeforeUpdate(Callback callback) {
        try {
            return callback.getClass().getMethod("beforeUpdate", Training.class, Step.class).getDeclaringClass()
                    != Callback.class;
        } catch (NoSuchMethodException e) {
            return true; // an interface method is always found; were it not, assume it reads
        }
    }

    void beforeUpdate(Step current) {
        callbacks.forEach(callback -> callback.beforeUpdate(this, current));
    }

    void afterUpdate(Step current) {
        callbacks.forEach(callback -> callback.afterUpdate(this, current));
    }

    void evaluated(Map<String, Double> metrics) {
        callbacks.forEach(callback -> callback.onEvaluation(this, metrics));
    }

    void epochEnded(double seconds) {
        callbacks.forEach(callback -> callback.onEpochEnd(this, seconds));
    }

    void trainEnded(String outcome) {
        callbacks.forEach(callback -> callback.onTrainEnd(this, outcome));
    }

    Map<String, Double> latestCopy() {
        return Map.copyOf(latest);
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int epochs() {
        return epochs;
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }

    @Override
    public boolean isLogStep() {
        return logStep;
    }

    @Override
    public Block model() {
        return model;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Map<String, Double> latestMetrics() {
        return java.util.Collections.unmodifiableMap(latest);
    }

    @Override
    public void recordMetric(String key, double value) {
        latest.put(key, value);
        listener.onMetric(key, value, step);
    }

    @Override
    public void recordMetric(String key, double value, long atStep) {
        if (atStep < 0) {
            throw new IllegalArgumentException("a metric's step must be 0 or more, got " + atStep + " for " + key);
        }
        latest.put(key, value);
        listener.onMetric(key, value, atStep);
    }

    @Override
    public void recordArtifact(Artifact artifact) {
        listener.onArtifact(artifact);
    }

    @Override
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }
}

package org.backproplab.core.run;

import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Training;

/** Where a run stands, set by a test step by step, for callbacks that only read it (the console). */
final class ScriptedTraining implements Training {

    private final int epochs;
    private final Map<String, Double> latest = new LinkedHashMap<>();
    private long step;
    private int epoch;

    ScriptedTraining(int epochs) {
        this.epochs = epochs;
    }

    ScriptedTraining at(int epoch, long step) {
        this.epoch = epoch;
        this.step = step;
        return this;
    }

    ScriptedTraining with(String key, double value) {
        latest.put(key, value);
        return this;
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
        return 10;
    }

    @Override
    public long totalSteps() {
        return 10L * epochs;
    }

    @Override
    public boolean isLogStep() {
        return true;
    }

    @Override
    public Block model() {
        throw new UnsupportedOperationException("the console never reads the model");
    }

    @Override
    public List<Layer> layers() {
        return List.of();
    }

    @Override
    public Map<String, Double> latestMetrics() {
        return latest;
    }

    @Override
    public void recordMetric(String key, double value) {
        latest.put(key, value);
    }

    @Override
    public void recordMetric(String key, double value, long step) {
        latest.put(key, value);
    }

    @Override
    public void recordArtifact(Artifact artifact) {}

    @Override
    public void requestStop(String reason) {}
}

package org.backproplab.core.training;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Training;

/**
 * The run as a callback sees it at an evaluation. Interim: it serves {@code onEvaluation} only, until the SPI 0.2
 * callbacks run in the training loop for every hook; it has no layers and keeps no artifacts.
 */
final class EvaluationTraining implements Training {

    private final Block model;
    private final long step;
    private final int epoch;
    private final int epochs;
    private final int stepsPerEpoch;
    private final Map<String, Double> latest;
    private final TrainingListener recording;
    private String stopReason;

    EvaluationTraining(Block model, long step, int epoch, int epochs, int stepsPerEpoch, Map<String, Double> latest,
            TrainingListener recording) {
        this.model = model;
        this.step = step;
        this.epoch = epoch;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.latest = latest;
        this.recording = recording;
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
        return true;
    }

    @Override
    public Block model() {
        return model;
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
        recording.onMetric(key, value, step);
    }

    @Override
    public void recordArtifact(Artifact artifact) {
        throw new UnsupportedOperationException("artifacts from callbacks arrive with the SPI 0.2 training loop");
    }

    @Override
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    String stopReason() {
        return stopReason;
    }
}

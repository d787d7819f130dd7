package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.cli.LabModule;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.TrainingListener;
import org.backproplab.core.training.TrainingOutcome;
import org.junit.jupiter.api.Test;

/**
 * The headline of experiments/exploding-gradients.yaml on the shipped file cut to one epoch: at its
 * learning rate the network's gradients grow until the loss is NaN, and clipping their global norm
 * to 1 lets the same network, seed and batches train.
 */
class ExplodingGradientsTest {

    private final Injector injector = LabModule.createInjector();

    private TrainingOutcome train(List<Double> globalNorms, String... variant) throws Exception {
        String file = "exploding-gradients.yaml";
        List<String> overrides = new ArrayList<>(List.of("sweep=null", "objective=null", "dataset.test_limit=500",
                "training.epochs=1", "training.threads=1", "diagnostics.enabled=false"));
        overrides.addAll(List.of(variant));
        Experiment experiment = injector.getInstance(ExperimentLoader.class)
                .load(file, Files.readString(LabProcess.experiment(file)), overrides);
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        return trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                if (key.equals("grad_norm/global")) {
                    globalNorms.add(value);
                }
            }
        }, () -> false);
    }

    @Test
    void unclippedTheLossBecomesNanAndClippedTheNetworkTrains() throws Exception {
        List<Double> unclippedNorms = new ArrayList<>();
        TrainingOutcome unclipped = train(unclippedNorms);
        assertThat(unclipped.ending()).as(unclipped.message()).isEqualTo(TrainingOutcome.Ending.DIVERGED);
        assertThat(unclipped.message()).contains("NaN");
        // Before the NaN, the gradient grew far beyond its size at the first step.
        double largestFinite = unclippedNorms.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(largestFinite).as("largest finite global gradient norm, %s", unclippedNorms).isGreaterThan(10 * unclippedNorms.get(0));

        List<Double> clippedNorms = new ArrayList<>();
        TrainingOutcome clipped = train(clippedNorms, "training.clip_grad_norm=1.0");
        assertThat(clipped.ending()).as(clipped.message()).isEqualTo(TrainingOutcome.Ending.COMPLETED);
        assertThat(clipped.lastValues().get("eval/accuracy")).as(clipped.message()).isGreaterThan(0.5);
        // The same first step: clipping changes the update, not the gradient logged before it.
        assertThat(clippedNorms.get(0)).isEqualTo(unclippedNorms.get(0));
    }
}

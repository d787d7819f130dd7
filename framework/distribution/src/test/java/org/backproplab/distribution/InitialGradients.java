package org.backproplab.distribution;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.TrainingListener;

/** Trains an experiment on the real engine and keeps each layer's gradient norm at step 1, input side first. */
final class InitialGradients {

    private InitialGradients() {}

    static List<Double> of(Injector injector, Experiment experiment) {
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        Map<String, Double> norms = new TreeMap<>();
        trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                if (step == 1 && key.startsWith("grad_norm/layer_")) {
                    norms.put(key, value);
                }
            }
        }, () -> false);
        return new ArrayList<>(norms.values());
    }
}

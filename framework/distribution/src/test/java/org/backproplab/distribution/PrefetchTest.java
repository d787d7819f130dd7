package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.cli.LabModule;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.PhaseClock;
import org.backproplab.core.training.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * Assembling the next batch on a background thread changes nothing: every step's loss, the gradient norms and
 * the evaluations are bit-identical with and without prefetching, over shuffled epochs and a short last batch.
 */
class PrefetchTest {

    private static final String EXPERIMENT = """
            name: prefetch
            seed: 3
            dataset:   { type: fashion-mnist, limit: 700, test_limit: 300 }
            model:     { type: mlp, hidden: [32], activation: relu }
            loss:      { type: softmax_cross_entropy }
            optimizer: { type: adam, lr: 0.001 }
            training:  { epochs: 2, batch_size: 64, log_every: 1, threads: 1 }
            """;

    private final Injector injector = LabModule.createInjector();

    private List<String> metrics(boolean prefetch) throws Exception {
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load("prefetch.yaml", EXPERIMENT, List.of());
        ExperimentTrainer trainer = injector.getInstance(ExperimentTrainer.class);
        List<String> metrics = new ArrayList<>();
        trainer.train(trainer.prepare(experiment), new TrainingListener() {
            @Override
            public void onMetric(String key, double value, long step) {
                if (!key.startsWith("time/") && !key.startsWith("memory/")) {
                    metrics.add(key + "@" + step + "=" + value);
                }
            }
        }, List.of(), () -> false, PhaseClock.NONE, prefetch);
        return metrics;
    }

    @Test
    void prefetchedBatchesTrainBitIdentically() throws Exception {
        List<String> prefetched = metrics(true);
        List<String> inline = metrics(false);
        // 11 steps per epoch (the last one of 60 examples), a loss logged at each.
        assertThat(prefetched.stream().filter(m -> m.startsWith("train/loss@"))).hasSize(22).doesNotHaveDuplicates();
        assertThat(prefetched).anyMatch(m -> m.startsWith("eval/accuracy@22="));
        assertThat(prefetched).containsExactlyElementsOf(inline);
    }
}

package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import java.util.List;
import org.backproplab.core.config.Experiment;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.Metric;
import org.backproplab.spi.OptimizerContext;

/**
 * An experiment whose components were all created, before anything is logged: a plugin that fails
 * here (missing data, a loss that does not fit the task) leaves nothing half-done in MLflow.
 *
 * @param optimizerContext what the optimizer was made with: the run's length and schedule, and its
 *     base learning rate once the optimizer asked for it, for {@code train/lr}
 * @param metrics the evaluation metrics, the file's or the defaults for the task
 * @param callbacks the file's {@code callbacks:}, in order
 */
public record PreparedExperiment(
        Experiment experiment,
        Dataset dataset,
        Block block,
        LossFunction lossFunction,
        Optimizer optimizer,
        OptimizerContext optimizerContext,
        List<Metric> metrics,
        List<Callback> callbacks,
        Device device) {

    public PreparedExperiment {
        metrics = List.copyOf(metrics);
        callbacks = List.copyOf(callbacks);
    }

    /** Optimizer steps per epoch: the last batch of an epoch may be smaller. */
    public int stepsPerEpoch() {
        return optimizerContext.stepsPerEpoch();
    }
}

package org.backproplab.core.training;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import org.backproplab.core.config.Experiment;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.LossFunction;

/**
 * An experiment whose components were all created, before anything is logged: a plugin that fails
 * here (missing data, a loss that does not fit the task) leaves nothing half-done in MLflow.
 */
public record PreparedExperiment(
        Experiment experiment, Dataset dataset, Block block, LossFunction lossFunction, Optimizer optimizer, Device device) {}

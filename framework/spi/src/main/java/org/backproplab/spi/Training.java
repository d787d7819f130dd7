package org.backproplab.spi;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;

/**
 * The run a {@link Callback} is part of: where training stands, the network and its layers, and
 * what a callback may do (record metrics and artifacts, ask training to stop).
 *
 * <p>Metrics recorded here are logged to MLflow with the run's own, at the current step, and reach
 * the other callbacks and the console.
 */
public interface Training {

    /**
     * Optimizer steps taken so far; during a step's hooks, the number of that step.
     *
     * @return 0 before the first step
     */
    long step();

    /**
     * The current epoch.
     *
     * @return 1 for the first
     */
    int epoch();

    /**
     * The epochs the run was asked for.
     *
     * @return {@code training.epochs}
     */
    int epochs();

    /**
     * Optimizer steps in one epoch.
     *
     * @return at least 1
     */
    int stepsPerEpoch();

    /**
     * Optimizer steps in the whole run, if it is not stopped early.
     *
     * @return {@code epochs() * stepsPerEpoch()}
     */
    long totalSteps();

    /**
     * Whether the run logs its metrics at the current step ({@code training.log_every}, the end of
     * each long enough epoch, the last step): the cadence a callback should follow for anything costly.
     *
     * @return {@code true} on a logging step
     */
    boolean isLogStep();

    /**
     * The network being trained, initialised.
     *
     * @return the model's block
     */
    Block model();

    /**
     * The network's layers from the input to the output.
     *
     * @return one entry per weight parameter, in block order
     */
    List<Layer> layers();

    /**
     * The last value of every metric recorded so far in this run.
     *
     * @return key to value, e.g. {@code "eval/accuracy" -> 0.85}
     */
    Map<String, Double> latestMetrics();

    /**
     * Records a metric at the current step.
     *
     * @param key an MLflow metric key such as {@code "my/ratio"}: letters, digits and {@code _-./ :}
     * @param value the value; NaN is kept
     */
    void recordMetric(String key, double value);

    /**
     * Records a metric at a step of the caller's choosing, for a series that is not over time: the built-in
     * diagnostics log {@code grad_profile/init} with the layer number as the step, so MLflow draws the gradient
     * over the layers as one chart.
     *
     * @param key an MLflow metric key, as for {@link #recordMetric(String, double)}
     * @param value the value; NaN is kept
     * @param step the step to log it at, 0 or more
     */
    void recordMetric(String key, double value, long step);

    /**
     * Keeps a file with the run.
     *
     * @param artifact the file
     */
    void recordArtifact(Artifact artifact);

    /**
     * Asks training to stop after the current step. The run ends FINISHED, and its outcome says that
     * training stopped early and why.
     *
     * @param reason why, for the user, e.g. {@code "eval/loss did not improve for 5 evaluations"}
     */
    void requestStop(String reason);
}

package org.backproplab.spi;

import ai.djl.training.tracker.Tracker;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the framework tells an optimizer factory: how long training lasts, and the learning-rate
 * schedule of the experiment ({@code optimizer.schedule}), which the optimizer applies by taking
 * its learning rate from {@link #learningRate(double)}.
 */
public final class OptimizerContext {

    private final int stepsPerEpoch;
    private final long totalSteps;
    private final Schedule schedule;
    private volatile double baseLearningRate = Double.NaN;

    /**
     * A context for one run.
     *
     * @param stepsPerEpoch optimizer steps in one epoch
     * @param totalSteps optimizer steps in the whole run
     * @param schedule the learning-rate schedule, {@link Schedule#CONSTANT} when none is given
     */
    public OptimizerContext(int stepsPerEpoch, long totalSteps, Schedule schedule) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = totalSteps;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * Optimizer steps in one epoch.
     *
     * @return at least 1
     */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Optimizer steps in the whole run, if it is not stopped early.
     *
     * @return at least 1
     */
    public long totalSteps() {
        return totalSteps;
    }

    /**
     * The schedule of the experiment.
     *
     * @return the schedule, {@link Schedule#CONSTANT} when the file gives none
     */
    public Schedule schedule() {
        return schedule;
    }

    /**
     * The learning rate for a DJL optimizer ({@code optLearningRateTracker(...)}): {@code base}
     * times the schedule's factor at each step. The framework logs the rate of each step as
     * {@code train/lr}, so an optimizer should call this once, with its base rate.
     *
     * @param base the optimizer's learning rate parameter, e.g. {@code lr: 0.001}
     * @return a tracker whose value at DJL's update number {@code k} (1 for the first step) is
     *     {@code base * schedule.factor(k - 1)}
     */
    public Tracker learningRate(double base) {
        baseLearningRate = base;
        return update -> (float) (base * schedule.factor(Math.max(0, update - 1L)));
    }

    /**
     * The learning rate the optimizer uses at a step, for logging.
     *
     * @param step the optimizer step, counted from 0
     * @return the rate, or empty when the optimizer never called {@link #learningRate(double)}
     */
    public OptionalDouble learningRateAt(long step) {
        double base = baseLearningRate;
        return Double.isNaN(base) ? OptionalDouble.empty() : OptionalDouble.of((float) (base * schedule.factor(step)));
    }
}

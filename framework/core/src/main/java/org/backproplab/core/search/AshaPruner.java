package org.backproplab.core.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asynchronous successive halving (Li et al. 2018) as Ray Tune's {@code AsyncHyperBandScheduler} runs it with one
 * bracket: rungs at {@code minSteps * reductionFactor^k} optimizer steps (up to {@code maxSteps}, if given); when a
 * trial first reaches a rung (the highest one its step has passed), it stops if its value is below the
 * {@code 1 - 1/reductionFactor} quantile of the values recorded at that rung so far (for a minimised objective:
 * above the {@code 1/reductionFactor} quantile), and its value is recorded there. Asynchronous: a trial is judged
 * against the trials that reached the rung before it, never waiting for the others.
 */
public final class AshaPruner implements Pruner {

    /** Rungs beyond any run's length when no maximum is given. */
    private static final int MAX_RUNGS = 40;

    private final long minSteps;
    private final int reductionFactor;
    private final boolean maximize;
    /** Highest first, as Ray keeps them: a report records at the highest rung it reached. */
    private final List<Long> milestones = new ArrayList<>();
    private final Map<Long, Map<Integer, Double>> recorded = new LinkedHashMap<>();

    /** @param maxSteps no rung above it; 0 for no limit */
    public AshaPruner(long minSteps, int reductionFactor, long maxSteps, boolean maximize) {
        if (minSteps < 1 || reductionFactor < 2 || maxSteps < 0 || maxSteps > 0 && maxSteps < minSteps) {
            throw new IllegalArgumentException("minSteps >= 1, reductionFactor >= 2 and maxSteps 0 or >= minSteps expected");
        }
        this.minSteps = minSteps;
        this.reductionFactor = reductionFactor;
        this.maximize = maximize;
        long milestone = minSteps;
        for (int k = 0; k < MAX_RUNGS && (maxSteps == 0 || milestone <= maxSteps); k++) {
            milestones.add(0, milestone);
            if (milestone > Long.MAX_VALUE / reductionFactor) {
                break;
            }
            milestone *= reductionFactor;
        }
        milestones.forEach(step -> recorded.put(step, new LinkedHashMap<>()));
    }

    @Override
    public synchronized String report(int trial, long step, double value) {
        for (long milestone : milestones) {
            Map<Integer, Double> rung = recorded.get(milestone);
            if (step < milestone || rung.containsKey(trial)) {
                continue;
            }
            double cutoff = cutoff(rung.values());
            rung.put(trial, value);
            if (!Double.isNaN(cutoff) && (maximize ? value < cutoff : value > cutoff)) {
                return String.format(Locale.ROOT, "%.4g at step %d is %s than the cutoff %.4g of the %d trials that reached"
                        + " rung %d (step %d) before it (ASHA, reduction factor %d)", value, step,
                        maximize ? "lower" : "higher", cutoff, rung.size() - 1, rungNumber(milestone), milestone,
                        reductionFactor);
            }
            return null;
        }
        return null;
    }

    @Override
    public void completed(int trial) {
        // A completed trial's values are in the rungs it reached already.
    }

    /** 1 for the rung at {@code minSteps}. */
    private int rungNumber(long milestone) {
        int number = 1;
        for (long step = minSteps; step < milestone; step *= reductionFactor) {
            number++;
        }
        return number;
    }

    /** numpy.nanpercentile(values, (1 - 1/rf) * 100) of the values as maximised; NaN for none. */
    private double cutoff(Iterable<Double> values) {
        List<Double> finite = new ArrayList<>();
        values.forEach(value -> {
            if (!Double.isNaN(value)) {
                finite.add(maximize ? value : -value);
            }
        });
        if (finite.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = finite.stream().mapToDouble(Double::doubleValue).toArray();
        double quantile = SamplerBenchmark.quantile(sorted, 1 - 1.0 / reductionFactor);
        return maximize ? quantile : -quantile;
    }
}

package org.backproplab.core.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Optuna's {@code MedianPruner}: a trial stops when its best value so far is worse than the median of the
 * completed trials' values at the same step. Nothing is pruned before {@code startupTrials} trials have completed,
 * before step {@code warmupSteps}, and at most once per {@code intervalSteps} (counted from the warm-up). A
 * completed trial that logged no value at exactly that step counts with its last value before it, if it went
 * further (trials of a swept batch size evaluate at different steps).
 */
public final class MedianPruner implements Pruner {

    private final int startupTrials;
    private final long warmupSteps;
    private final long intervalSteps;
    private final boolean maximize;
    private final Map<Integer, NavigableMap<Long, Double>> values = new HashMap<>();
    private final Set<Integer> completed = new HashSet<>();

    public MedianPruner(int startupTrials, long warmupSteps, long intervalSteps, boolean maximize) {
        if (startupTrials < 0 || warmupSteps < 0 || intervalSteps < 1) {
            throw new IllegalArgumentException("startupTrials >= 0, warmupSteps >= 0 and intervalSteps >= 1 expected");
        }
        this.startupTrials = startupTrials;
        this.warmupSteps = warmupSteps;
        this.intervalSteps = intervalSteps;
        this.maximize = maximize;
    }

    @Override
    public synchronized String report(int trial, long step, double value) {
        NavigableMap<Long, Double> own = values.computeIfAbsent(trial, key -> new TreeMap<>());
        Long previous = own.lowerKey(step);
        own.put(step, value);
        if (step < warmupSteps) {
            return null;
        }
        // Optuna's _is_first_in_interval_step: the first report at or after the latest pruning step.
        long pruningStep = (step - warmupSteps) / intervalSteps * intervalSteps + warmupSteps;
        if (previous != null && previous >= pruningStep) {
            return null;
        }
        double best = best(own.values());
        if (Double.isNaN(best)) {
            return String.format(Locale.ROOT, "the objective is NaN at step %d", step);
        }
        if (completed.isEmpty() || completed.size() < startupTrials) {
            return null;
        }
        List<Double> others = new ArrayList<>();
        for (int other : completed) {
            NavigableMap<Long, Double> curve = values.get(other);
            if (curve == null || curve.isEmpty() || curve.lastKey() < step) {
                continue;
            }
            Map.Entry<Long, Double> atStep = curve.floorEntry(step);
            if (atStep != null && !Double.isNaN(atStep.getValue())) {
                others.add(atStep.getValue());
            }
        }
        if (others.isEmpty()) {
            return null;
        }
        double median = median(others);
        boolean worse = maximize ? best < median : best > median;
        return worse ? String.format(Locale.ROOT, "best so far %.4g is worse than the median %.4g of %d completed trials"
                + " at step %d (median pruner)", best, median, others.size(), step) : null;
    }

    @Override
    public synchronized void completed(int trial) {
        completed.add(trial);
    }

    private double best(Iterable<Double> curve) {
        double best = Double.NaN;
        for (double value : curve) {
            if (!Double.isNaN(value) && (Double.isNaN(best) || (maximize ? value > best : value < best))) {
                best = value;
            }
        }
        return best;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

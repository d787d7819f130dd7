package org.backproplab.core.search;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A mixture of product distributions, one kernel per observation plus a prior kernel, as Optuna 5.0's
 * {@code _ParzenEstimator} builds it with {@code TPESampler}'s defaults (prior weight 1, {@code consider_magic_clip},
 * not {@code consider_endpoints}, {@code default_weights}): per numerical parameter a normal truncated to its bounds
 * (on the log scale for a log-scale parameter; over bins widened by half a step each side for an integer), centred on
 * the observation, whose bandwidth is its larger distance to the neighbouring observations, the same whether the
 * parameters are estimated jointly or one at a time; per categorical parameter a smoothed one-hot distribution.
 *
 * <p>One deviation, in how a kernel is drawn from, not in what is drawn: a truncated normal by rejection (a draw of the
 * normal kept when within the bounds) rather than by Optuna's inverse CDF. The distribution is the same; the random
 * numbers differ from numpy's anyway.
 */
final class ParzenEstimator {

    static final double PRIOR_WEIGHT = 1.0;
    private static final int MAX_REJECTIONS = 10_000;

    private final List<SearchParameter> space;
    private final double[] weights;
    private final double[] logWeights;
    private final Kernels[] dimensions;

    /** @param observations one row per trial, in trial order, a value per parameter of {@code space} */
    ParzenEstimator(List<SearchParameter> space, List<double[]> observations) {
        this.space = List.copyOf(space);
        int n = observations.size();
        double[] raw = n == 0 ? new double[] {1.0} : Arrays.copyOf(defaultWeights(n), n + 1);
        if (n > 0) {
            raw[n] = PRIOR_WEIGHT;
        }
        double total = Arrays.stream(raw).sum();
        weights = Arrays.stream(raw).map(w -> w / total).toArray();
        logWeights = Arrays.stream(weights).map(StrictMath::log).toArray();
        dimensions = new Kernels[space.size()];
        for (int d = 0; d < space.size(); d++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = observations.get(i)[d];
            }
            SearchParameter parameter = space.get(d);
            dimensions[d] = parameter.kind() == SearchParameter.Kind.CATEGORICAL
                    ? Categorical.of(column, parameter.choices())
                    : Numerical.of(column, parameter);
        }
    }

    /** Optuna's {@code default_weights}: equal for the last 25 trials, a linear ramp down for older ones. */
    static double[] defaultWeights(int n) {
        if (n < 25) {
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            return ones;
        }
        double[] weights = new double[n];
        int rampLength = n - 25;
        for (int i = 0; i < rampLength; i++) {
            // numpy.linspace(1 / n, 1, n - 25)
            weights[i] = rampLength == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (rampLength - 1);
        }
        Arrays.fill(weights, rampLength, n, 1.0);
        return weights;
    }

    /**
     * Optuna's bandwidths (its {@code compute_sigmas}): each observation's larger distance to its neighbours among the
     * sorted observations, {@code low} and {@code high} counting as neighbours except for the outermost two, which look
     * inwards only (endpoints not considered) when there are two observations or more; then the "magic clip" to
     * {@code [(high - low) / min(100, n + 2), high - low]}, n + 1 being the number of kernels with the prior.
     *
     * @param mus the observations on the kernels' scale (the log for a log-scale parameter), in trial order
     * @return a bandwidth per observation, in the same order
     */
    static double[] bandwidths(double[] mus, double low, double high) {
        int n = mus.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(mus[x], mus[y]));
        double[] withEnds = new double[n + 2];
        withEnds[0] = low;
        withEnds[n + 1] = high;
        for (int i = 0; i < n; i++) {
            withEnds[i + 1] = mus[order[i]];
        }
        double[] sorted = new double[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
        }
        if (n >= 2) {
            sorted[0] = withEnds[2] - withEnds[1];
            sorted[n - 1] = withEnds[n] - withEnds[n - 1];
        }
        double maxSigma = high - low;
        double minSigma = (high - low) / Math.min(100.0, 1.0 + (n + 1));
        double[] sigmas = new double[n];
        for (int i = 0; i < n; i++) {
            sigmas[order[i]] = Math.min(maxSigma, Math.max(minSigma, sorted[i]));
        }
        return sigmas;
    }

    /** {@code size} draws, one row each. */
    double[][] sample(Random random, int size) {
        double[][] samples = new double[size][space.size()];
        for (int s = 0; s < size; s++) {
            int kernel = pick(weights, random.nextDouble());
            for (int d = 0; d < dimensions.length; d++) {
                samples[s][d] = dimensions[d].sample(kernel, random);
            }
        }
        return samples;
    }

    /** The mixture's log density at {@code x}. */
    double logPdf(double[] x) {
        double[] perKernel = logWeights.clone();
        for (int d = 0; d < dimensions.length; d++) {
            dimensions[d].addLogPdf(x[d], perKernel);
        }
        double max = Arrays.stream(perKernel).max().orElse(Double.NEGATIVE_INFINITY);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double value : perKernel) {
            sum += StrictMath.exp(value - max);
        }
        return max + StrictMath.log(sum);
    }

    private static int pick(double[] probabilities, double u) {
        double cumulative = 0;
        for (int i = 0; i < probabilities.length - 1; i++) {
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        return probabilities.length - 1;
    }

    /** One parameter's distribution in every kernel. */
    private interface Kernels {
        double sample(int kernel, Random random);

        /** Adds each kernel's log density at {@code x} to {@code perKernel}. */
        void addLogPdf(double x, double[] perKernel);
    }

    private record Categorical(double[][] probabilities) implements Kernels {

        static Categorical of(double[] observed, int choices) {
            int n = observed.length;
            if (n == 0) {
                double[][] uniform = new double[1][choices];
                Arrays.fill(uniform[0], 1.0 / choices);
                return new Categorical(uniform);
            }
            int kernels = n + 1;
            double[][] probabilities = new double[kernels][choices];
            for (int k = 0; k < kernels; k++) {
                Arrays.fill(probabilities[k], PRIOR_WEIGHT / kernels);
                if (k < n) {
                    probabilities[k][(int) observed[k]] += 1;
                }
                double sum = Arrays.stream(probabilities[k]).sum();
                for (int c = 0; c < choices; c++) {
                    probabilities[k][c] /= sum;
                }
            }
            return new Categorical(probabilities);
        }

        @Override
        public double sample(int kernel, Random random) {
            return pick(probabilities[kernel], random.nextDouble());
        }

        @Override
        public void addLogPdf(double x, double[] perKernel) {
            for (int k = 0; k < perKernel.length; k++) {
                perKernel[k] += StrictMath.log(probabilities[k][(int) x]);
            }
        }
    }

    /**
     * Truncated normals on [low, high] of the transformed scale (log for a log-scale parameter; widened by half a
     * step each side for an integer, whose value is the bin it falls in).
     */
    private record Numerical(double[] mus, double[] sigmas, double low, double high, boolean log, boolean integer,
            double rawLow, double rawHigh, double[] logNormalisers) implements Kernels {

        static Numerical of(double[] observed, SearchParameter parameter) {
            boolean integer = parameter.kind() == SearchParameter.Kind.INT;
            boolean log = parameter.kind() == SearchParameter.Kind.LOG_FLOAT;
            double low = parameter.low() - (integer ? 0.5 : 0);
            double high = parameter.high() + (integer ? 0.5 : 0);
            double[] mus = observed.clone();
            if (log) {
                low = StrictMath.log(low);
                high = StrictMath.log(high);
                for (int i = 0; i < mus.length; i++) {
                    mus[i] = StrictMath.log(mus[i]);
                }
            }
            int n = mus.length;
            double[] allMus = Arrays.copyOf(mus, n + 1);
            double[] sigmas = Arrays.copyOf(bandwidths(mus, low, high), n + 1);
            allMus[n] = 0.5 * (low + high); // the prior kernel
            sigmas[n] = high - low;
            double[] normalisers = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                normalisers[k] = Gaussian.logMass((low - allMus[k]) / sigmas[k], (high - allMus[k]) / sigmas[k]);
            }
            return new Numerical(allMus, sigmas, low, high, log, integer, parameter.low(), parameter.high(), normalisers);
        }

        @Override
        public double sample(int kernel, Random random) {
            double mu = mus[kernel];
            double sigma = sigmas[kernel];
            double value = Double.NaN;
            // Every kernel's centre lies within [low, high], so at least a third of its draws land there.
            for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
                double draw = mu + sigma * random.nextGaussian();
                if (draw >= low && draw <= high) {
                    value = draw;
                    break;
                }
            }
            if (Double.isNaN(value)) {
                value = Math.min(high, Math.max(low, mu));
            }
            if (log) {
                value = StrictMath.exp(value);
            }
            if (integer) {
                value = Math.min(rawHigh, Math.max(rawLow, rawLow + Math.rint(value - rawLow)));
            }
            return Math.min(rawHigh, Math.max(rawLow, value));
        }

        @Override
        public void addLogPdf(double x, double[] perKernel) {
            double t = log ? StrictMath.log(x) : x;
            for (int k = 0; k < perKernel.length; k++) {
                double density = integer
                        ? Gaussian.logMass((t - 0.5 - mus[k]) / sigmas[k], (t + 0.5 - mus[k]) / sigmas[k])
                        : Gaussian.logPdf((t - mus[k]) / sigmas[k]) - StrictMath.log(sigmas[k]);
                perKernel[k] += density - logNormalisers[k];
            }
        }
    }
}

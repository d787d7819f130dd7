package org.backproplab.core.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Random search, a grid and TPE on standard test functions: the best value each finds in a budget of trials, over
 * many seeds. Pure computation, no training: {@code ./lab bench samplers}.
 */
public final class SamplerBenchmark {

    /** How a sampler did on one function: the best value of each seed's run. */
    public record Result(String function, String sampler, double[] bests) {

        public double quantile(double q) {
            return SamplerBenchmark.quantile(bests, q);
        }
    }

    private SamplerBenchmark() {}

    /** The best value random search finds in {@code trials} draws. */
    public static double random(TestFunction function, int trials, long seed) {
        Random random = new Random(seed);
        double best = Double.POSITIVE_INFINITY;
        for (int t = 0; t < trials; t++) {
            Map<String, Double> point = new LinkedHashMap<>();
            for (SearchParameter parameter : function.space()) {
                point.put(parameter.name(), TpeSampler.uniform(parameter, random));
            }
            best = Math.min(best, function.at(point));
        }
        return best;
    }

    /** The best value TPE with this project's defaults finds in {@code trials} trials run one after another. */
    public static double tpe(TestFunction function, int trials, long seed) {
        return tpe(new TpeSampler(function.space(), TpeSampler.DEFAULT_STARTUP_TRIALS, seed), function, trials);
    }

    /** As {@link #tpe}, with Optuna's good fraction and number of candidates. */
    public static double tpeOptunaSettings(TestFunction function, int trials, long seed) {
        return tpe(new TpeSampler(function.space(), TpeSampler.DEFAULT_STARTUP_TRIALS, TpeSampler.OPTUNA_EI_CANDIDATES,
                TpeSampler.OPTUNA_GOOD_FRACTION, seed), function, trials);
    }

    private static double tpe(TpeSampler sampler, TestFunction function, int trials) {
        List<Observation> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int t = 0; t < trials; t++) {
            Map<String, Double> point = sampler.propose(t, history);
            double value = function.at(point);
            history.add(Observation.complete(t, point, value));
            best = Math.min(best, value);
        }
        return best;
    }

    /**
     * The best value of a grid of at most {@code trials} points: as many levels per dimension as fit (the earlier
     * dimensions get one more where the budget allows), each at the centre of its cell. The same for every seed.
     */
    public static double grid(TestFunction function, int trials) {
        int dimensions = function.space().size();
        int[] levels = new int[dimensions];
        Arrays.fill(levels, 1);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (int d = 0; d < dimensions; d++) {
                levels[d]++;
                if (Arrays.stream(levels).asLongStream().reduce(1, (a, b) -> a * b) <= trials) {
                    grew = true;
                } else {
                    levels[d]--;
                }
            }
        }
        int points = Arrays.stream(levels).reduce(1, (a, b) -> a * b);
        double best = Double.POSITIVE_INFINITY;
        for (int p = 0; p < points; p++) {
            Map<String, Double> point = new LinkedHashMap<>();
            int rest = p;
            for (int d = 0; d < dimensions; d++) {
                SearchParameter parameter = function.space().get(d);
                int level = rest % levels[d];
                rest /= levels[d];
                point.put(parameter.name(), parameter.low() + (level + 0.5) / levels[d] * (parameter.high() - parameter.low()));
            }
            best = Math.min(best, function.at(point));
        }
        return best;
    }

    /** Every sampler on every function, {@code seeds} seeds (0, 1, ...) of {@code trials} trials. */
    public static List<Result> run(List<TestFunction> functions, int trials, int seeds) {
        List<Result> results = new ArrayList<>();
        for (TestFunction function : functions) {
            double[] random = new double[seeds];
            double[] tpe = new double[seeds];
            double[] tpeOptuna = new double[seeds];
            double[] grid = new double[seeds];
            for (int seed = 0; seed < seeds; seed++) {
                random[seed] = random(function, trials, seed);
                tpe[seed] = tpe(function, trials, seed);
                tpeOptuna[seed] = tpeOptunaSettings(function, trials, seed);
                grid[seed] = grid(function, trials);
            }
            results.add(new Result(function.name(), "random", random));
            results.add(new Result(function.name(), "grid", grid));
            results.add(new Result(function.name(), "tpe", tpe));
            results.add(new Result(function.name(), "tpe, Optuna's gamma and candidates", tpeOptuna));
        }
        return results;
    }

    /** A Markdown table: median and quartiles of the best value per function and sampler. */
    public static String table(List<Result> results, List<TestFunction> functions) {
        StringBuilder text = new StringBuilder("| function (optimum) | sampler | median best | quartiles |\n|---|---|---|---|\n");
        for (Result result : results) {
            double optimum = functions.stream().filter(function -> function.name().equals(result.function()))
                    .findFirst().orElseThrow().optimum();
            text.append(String.format(Locale.ROOT, "| %s (%.3f) | %s | %.3f | %.3f - %.3f |%n", result.function(), optimum,
                    result.sampler(), result.quantile(0.5), result.quantile(0.25), result.quantile(0.75)));
        }
        return text.toString();
    }

    /** numpy.percentile's default (linear interpolation between the closest ranks). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}

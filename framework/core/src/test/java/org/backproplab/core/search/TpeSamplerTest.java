package org.backproplab.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {

    @Test
    void tpeFindsBetterBraninValuesThanRandomSearchOnTheSameBudget() {
        TestFunction branin = TestFunction.branin();
        double[] tpe = new double[5];
        double[] random = new double[5];
        for (int seed = 0; seed < 5; seed++) {
            tpe[seed] = SamplerBenchmark.tpe(branin, 50, seed);
            random[seed] = SamplerBenchmark.random(branin, 50, seed);
        }
        assertThat(SamplerBenchmark.quantile(tpe, 0.5)).isLessThan(SamplerBenchmark.quantile(random, 0.5));
        assertThat(Arrays.stream(tpe).sum()).isLessThan(Arrays.stream(random).sum());
        assertThat(Arrays.stream(tpe).min().orElseThrow()).isGreaterThanOrEqualTo(branin.optimum() - 1e-6);
        // Seeded: the same seed finds the same best value, bit for bit.
        assertThat(SamplerBenchmark.tpe(branin, 50, 3)).isEqualTo(tpe[3]);
    }

    @Test
    void proposalsStayWithinTheirDistributions() {
        List<SearchParameter> space = List.of(
                SearchParameter.of("lr", SearchParameter.Kind.LOG_FLOAT, 1e-4, 1),
                SearchParameter.of("hidden", SearchParameter.Kind.INT, 8, 64),
                SearchParameter.categorical("activation", 3),
                SearchParameter.of("dropout", SearchParameter.Kind.FLOAT, 0, 0.5));
        TpeSampler sampler = new TpeSampler(space, 4, TpeSampler.OPTUNA_EI_CANDIDATES, TpeSampler.OPTUNA_GOOD_FRACTION, 11);
        List<Observation> history = new ArrayList<>();
        for (int trial = 0; trial < 30; trial++) {
            Map<String, Double> proposal = sampler.propose(trial, history);
            assertThat(proposal.get("lr")).isBetween(1e-4, 1.0);
            assertThat(proposal.get("hidden")).isBetween(8.0, 64.0);
            assertThat(proposal.get("hidden") % 1).isZero();
            assertThat(proposal.get("activation")).isIn(0.0, 1.0, 2.0);
            assertThat(proposal.get("dropout")).isBetween(0.0, 0.5);
            // Best near lr 0.01, many hidden units, activation 1.
            double value = Math.abs(Math.log10(proposal.get("lr")) + 2) + (64 - proposal.get("hidden")) / 56
                    + (proposal.get("activation") == 1.0 ? 0 : 1) + proposal.get("dropout");
            history.add(Observation.complete(trial, proposal, value));
        }
        double startUpBest = history.subList(0, 4).stream().mapToDouble(Observation::value).min().orElseThrow();
        double modelledBest = history.subList(4, 30).stream().mapToDouble(Observation::value).min().orElseThrow();
        assertThat(modelledBest).as("the model improves on its random start-up").isLessThan(startUpBest);
    }

    @Test
    void aConditionalParameterIsProposedOnlyWhereItsConditionHolds() {
        SearchParameter type = SearchParameter.categorical("type", 2);
        SearchParameter momentum = new SearchParameter("momentum", SearchParameter.Kind.FLOAT, 0, 0.9,
                values -> values.get("type") == 0.0, true);
        TpeSampler sampler = new TpeSampler(List.of(type, momentum), 3, TpeSampler.OPTUNA_EI_CANDIDATES, TpeSampler.OPTUNA_GOOD_FRACTION, 5);
        List<Observation> history = new ArrayList<>();
        for (int trial = 0; trial < 15; trial++) {
            Map<String, Double> proposal = sampler.propose(trial, history);
            assertThat(proposal.containsKey("momentum")).isEqualTo(proposal.get("type") == 0.0);
            history.add(Observation.complete(trial, proposal, proposal.getOrDefault("momentum", 1.0)));
        }
    }

    @Test
    void aParameterWithOneValueIsThatValueAndLeavesTheOthersAsTheyWere() {
        TestFunction branin = TestFunction.branin();
        List<SearchParameter> withFixed = new ArrayList<>(branin.space());
        withFixed.add(1, SearchParameter.of("fixed", SearchParameter.Kind.FLOAT, 0.25, 0.25));
        withFixed.add(SearchParameter.categorical("only", 1));
        TpeSampler plain = new TpeSampler(branin.space(), 10, TpeSampler.OPTUNA_EI_CANDIDATES, TpeSampler.OPTUNA_GOOD_FRACTION, 4);
        TpeSampler padded = new TpeSampler(withFixed, 10, TpeSampler.OPTUNA_EI_CANDIDATES, TpeSampler.OPTUNA_GOOD_FRACTION, 4);
        List<Observation> history = new ArrayList<>();
        for (int trial = 0; trial < 10; trial++) {
            Map<String, Double> point = plain.propose(trial, history);
            history.add(Observation.complete(trial, point, branin.at(point)));
        }
        List<Observation> paddedHistory = history.stream().map(trial -> {
            Map<String, Double> params = new java.util.LinkedHashMap<>(trial.params());
            params.put("fixed", 0.25);
            params.put("only", 0.0);
            return Observation.complete(trial.number(), params, trial.value());
        }).toList();
        for (int trial = 10; trial < 15; trial++) {
            Map<String, Double> proposal = padded.propose(trial, paddedHistory);
            assertThat(proposal).containsEntry("fixed", 0.25).containsEntry("only", 0.0);
            assertThat(proposal.get("x0")).isEqualTo(plain.propose(trial, history).get("x0"));
            assertThat(proposal.get("x1")).isEqualTo(plain.propose(trial, history).get("x1"));
            assertThat(proposal.keySet()).containsExactly("x0", "fixed", "x1", "only");
        }
    }

    @Test
    void runningTrialsCountAsBadSoThatParallelProposalsSpreadOut() {
        TestFunction branin = TestFunction.branin();
        TpeSampler sampler = new TpeSampler(branin.space(), 10, TpeSampler.OPTUNA_EI_CANDIDATES, TpeSampler.OPTUNA_GOOD_FRACTION, 2);
        List<Observation> history = new ArrayList<>();
        for (int trial = 0; trial < 20; trial++) {
            Map<String, Double> proposal = sampler.propose(trial, history);
            history.add(Observation.complete(trial, proposal, branin.at(proposal)));
        }
        Map<String, Double> alone = sampler.propose(20, history);
        // Trial 20 runs; trial 21 is proposed meanwhile: without the liar it would be drawn exactly as trial 20 was.
        List<Observation> withRunning = new ArrayList<>(history);
        withRunning.add(Observation.running(20, alone));
        assertThat(sampler.propose(21, history)).isNotEqualTo(sampler.propose(21, withRunning));
        assertThat(sampler.propose(20, withRunning)).as("a trial is not its own liar").isEqualTo(alone);
    }

    @Test
    void gammaIsAFractionOfTheTrialsUpTo25AndWeightsAreOptunas() {
        assertThat(TpeSampler.gamma(TpeSampler.OPTUNA_GOOD_FRACTION, 9)).isEqualTo(1);
        assertThat(TpeSampler.gamma(TpeSampler.OPTUNA_GOOD_FRACTION, 50)).isEqualTo(5);
        assertThat(TpeSampler.gamma(TpeSampler.OPTUNA_GOOD_FRACTION, 1000)).isEqualTo(25);
        assertThat(TpeSampler.gamma(TpeSampler.DEFAULT_GOOD_FRACTION, 50)).isEqualTo(10);
        assertThat(TpeSampler.gamma(TpeSampler.DEFAULT_GOOD_FRACTION, 1000)).isEqualTo(25);
        assertThat(ParzenEstimator.defaultWeights(3)).containsExactly(1, 1, 1);
        double[] weights = ParzenEstimator.defaultWeights(30);
        assertThat(weights[0]).isEqualTo(1.0 / 30);
        assertThat(weights[4]).isEqualTo(1.0);
        assertThat(Arrays.stream(weights, 5, 30)).containsOnly(1.0);
        // numpy.linspace(1/30, 1, 5): the ramp over the 5 oldest of 30 trials, then 25 at full weight.
        assertThat(weights[2]).isCloseTo(1.0 / 30 + 0.5 * (1 - 1.0 / 30), offset(1e-15));
        assertThat(ParzenEstimator.defaultWeights(26)).startsWith(1.0 / 26, 1.0);
    }

    @Test
    void bandwidthsAreTheLargerNeighbourDistanceWithinTheMagicClip() {
        // Sorted 0, 0.5, 2, 5 on [0, 10]: the outermost look inwards only (0.5 and 3), the inner ones at both
        // neighbours (1.5, 3); the magic clip raises all to at least 10 / min(100, 4 + 2).
        assertThat(ParzenEstimator.bandwidths(new double[] {2, 0, 0.5, 5}, 0, 10))
                .containsExactly(3, 10.0 / 6, 10.0 / 6, 3);
        // Alone, an observation counts the bounds as neighbours: 7 to the upper one.
        assertThat(ParzenEstimator.bandwidths(new double[] {3}, 0, 10)).containsExactly(7);
        // 120 observations: the clip is 10 / 100, the largest is the range.
        double[] crowded = new double[120];
        Arrays.fill(crowded, 4);
        crowded[119] = 5;
        assertThat(ParzenEstimator.bandwidths(crowded, 0, 10)).startsWith(0.1).endsWith(1);
        assertThat(ParzenEstimator.bandwidths(new double[] {0, 10}, 0, 10)).containsExactly(10, 10);
    }

    /**
     * The same observations as {@code optuna_tpe_reference.py parzen} (test resources) gives Optuna 5.0.0's
     * {@code _ParzenEstimator}, whose log densities are written here: Branin's 40 trials split by gamma (so the above
     * group has more than 25, with the ramp of weights), and a log-scale, an integer and a categorical parameter.
     */
    @Test
    void logDensitiesEqualOptunasOnTheSameObservations() {
        TestFunction branin = TestFunction.branin();
        List<Observation> trials = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, Double> point = Map.of("x0", -5 + 15 * ((i * 0.618034) % 1), "x1", 15 * ((i * 0.414214 + 0.3) % 1));
            trials.add(Observation.complete(i, point, branin.at(point)));
        }
        List<Observation> ranked = trials.stream().sorted(Comparator.comparingDouble(Observation::value)).toList();
        int below = TpeSampler.gamma(TpeSampler.OPTUNA_GOOD_FRACTION, 40);
        double[][] points = new double[8][];
        for (int j = 0; j < 8; j++) {
            points[j] = new double[] {-5 + 15 * ((j * 0.7548777) % 1), 15 * ((j * 0.5698403) % 1)};
        }
        assertThat(logPdfs(branin.space(), rows(ranked.subList(0, below)), points)).containsExactly(new double[] {
            -5.975159087004288, -5.392617676576448, -5.008241203451079, -5.516112354200659, -5.703417635195528,
            -6.041400315606302, -5.130372431891946, -5.843791622344094}, offset(1e-12));
        assertThat(logPdfs(branin.space(), rows(ranked.subList(below, 40)), points)).containsExactly(new double[] {
            -8.087316364401522, -4.138851178797539, -8.574572702896536, -8.817617463769135, -7.171384428345791,
            -4.355968866628399, -5.02869549861352, -6.5334126600941875}, offset(1e-12));

        List<SearchParameter> mixed = List.of(SearchParameter.of("lr", SearchParameter.Kind.LOG_FLOAT, 1e-4, 1),
                SearchParameter.of("h", SearchParameter.Kind.INT, 8, 64), SearchParameter.categorical("c", 3));
        List<double[]> observations = List.of(new double[] {1e-3, 8, 0}, new double[] {0.2, 64, 2},
                new double[] {0.05, 30, 1}, new double[] {3e-4, 17, 1}, new double[] {0.9, 42, 0},
                new double[] {1e-2, 8, 2}, new double[] {0.5, 55, 2});
        double[][] at = {{1e-4, 8, 0}, {2e-3, 20, 1}, {0.3, 33, 2}, {1.0, 64, 1}};
        assertThat(logPdfs(mixed, observations, at)).containsExactly(new double[] {
            -6.376333824405906, -7.219383179160644, -7.24714416253522, -7.720470458457796}, offset(1e-12));
    }

    /**
     * Optuna 5.0.0's own runs (seed 0, 50 trials, {@code optuna_tpe_reference.py trajectories}): at trials 10 to 49,
     * given the trials before and the candidates Optuna drew, the split and the estimators here score them as Optuna
     * did and choose the candidate it chose, the trial it ran.
     */
    @Test
    void givenOptunasHistoryAndCandidatesTheSameCandidateIsChosen() throws Exception {
        JsonNode runs;
        try (var input = getClass().getResourceAsStream("optuna_tpe_trajectories.json")) {
            runs = new ObjectMapper().readTree(input);
        }
        assertThat(runs).hasSize(2);
        for (JsonNode run : runs) {
            TestFunction function = run.get("function").asText().equals("branin") ? TestFunction.branin()
                    : TestFunction.hartmann6();
            List<Observation> trials = new ArrayList<>();
            for (JsonNode trial : run.get("trials")) {
                double[] params = vector(trial.get("params"));
                Map<String, Double> point = new java.util.LinkedHashMap<>();
                for (int d = 0; d < params.length; d++) {
                    point.put(function.space().get(d).name(), params[d]);
                }
                trials.add(Observation.complete(trials.size(), point, trial.get("value").asDouble()));
            }
            assertThat(run.get("steps")).hasSize(5);
            for (JsonNode step : run.get("steps")) {
                int number = step.get("trial").asInt();
                TpeSampler.Estimators estimators = TpeSampler.Estimators.of(function.space(),
                        TpeSampler.split(trials.subList(0, number), TpeSampler.OPTUNA_GOOD_FRACTION));
                double[] optunas = vector(step.get("scores"));
                double[] ours = new double[optunas.length];
                for (int c = 0; c < ours.length; c++) {
                    ours[c] = estimators.score(vector(step.get("candidates").get(c)));
                }
                assertThat(ours).as("%s trial %d", function.name(), number).containsExactly(optunas, offset(1e-12));
                int chosen = step.get("chosen").asInt();
                assertThat(Arrays.stream(ours).max().orElseThrow()).isEqualTo(ours[chosen]);
                assertThat(vector(step.get("candidates").get(chosen)))
                        .containsExactly(vector(run.get("trials").get(number).get("params")));
            }
        }
    }

    private static double[] vector(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static List<double[]> rows(List<Observation> trials) {
        return trials.stream().sorted(Comparator.comparingInt(Observation::number))
                .map(trial -> new double[] {trial.params().get("x0"), trial.params().get("x1")}).toList();
    }

    private static double[] logPdfs(List<SearchParameter> space, List<double[]> observations, double[][] points) {
        ParzenEstimator estimator = new ParzenEstimator(space, observations);
        return Arrays.stream(points).mapToDouble(estimator::logPdf).toArray();
    }

    @Test
    void kernelsTruncatedAtTheBoundsIntegrateToOne() {
        // Observations at and near the bounds, where most of an untruncated kernel's mass would fall outside.
        List<double[]> near = List.of(new double[] {-5, 0}, new double[] {-4.9, 14.9}, new double[] {10, 15},
                new double[] {2, 7});
        ParzenEstimator floats = new ParzenEstimator(List.of(SearchParameter.of("x", SearchParameter.Kind.FLOAT, -5, 10)),
                near.stream().map(row -> new double[] {row[0]}).toList());
        assertThat(integral(t -> StrictMath.exp(floats.logPdf(new double[] {t})), -5, 10)).isCloseTo(1, offset(1e-6));
        // On the log scale, a log-scale parameter's density is per unit of log(x).
        ParzenEstimator logs = new ParzenEstimator(List.of(SearchParameter.of("x", SearchParameter.Kind.LOG_FLOAT, 1e-4, 1)),
                List.of(new double[] {1e-4}, new double[] {2e-4}, new double[] {1}));
        assertThat(integral(t -> StrictMath.exp(logs.logPdf(new double[] {StrictMath.exp(t)})), Math.log(1e-4), 0))
                .isCloseTo(1, offset(1e-6));
        // An integer's bins, each the mass of [k - 0.5, k + 0.5], sum to 1.
        ParzenEstimator ints = new ParzenEstimator(List.of(SearchParameter.of("k", SearchParameter.Kind.INT, 0, 15)),
                List.of(new double[] {0}, new double[] {15}, new double[] {15}, new double[] {7}));
        double sum = 0;
        for (int k = 0; k <= 15; k++) {
            sum += StrictMath.exp(ints.logPdf(new double[] {k}));
        }
        assertThat(sum).isCloseTo(1, offset(1e-12));
    }

    /** Simpson's rule, 20,000 intervals: exact to far better than 1e-6 for these smooth densities. */
    private static double integral(java.util.function.DoubleUnaryOperator f, double low, double high) {
        int intervals = 20_000;
        double h = (high - low) / intervals;
        double sum = f.applyAsDouble(low) + f.applyAsDouble(high);
        for (int i = 1; i < intervals; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(low + i * h);
        }
        return sum * h / 3;
    }

    @Test
    void gaussianMassesAreAccurateInTheTails() {
        assertThat(Gaussian.logMass(-1, 1)).isCloseTo(Math.log(0.6826894921370859), offset(1e-12));
        // Φ(-9) - Φ(-10) = 1.1285884e-19 - 7.6198530e-24
        assertThat(Gaussian.logMass(-10, -9)).isCloseTo(Math.log(1.1285884e-19 - 7.6198530e-24),
                offset(1e-6));
        assertThat(Gaussian.logMass(9, 10)).isEqualTo(Gaussian.logMass(-10, -9));
        assertThat(Gaussian.logMass(Double.NaN, Double.NaN)).isNaN(); // once an endless loop (a kernel of width 0)
    }
}

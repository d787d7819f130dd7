package org.backproplab.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
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
        TpeSampler sampler = new TpeSampler(space, 4, 24, 11);
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
        TpeSampler sampler = new TpeSampler(List.of(type, momentum), 3, 24, 5);
        List<Observation> history = new ArrayList<>();
        for (int trial = 0; trial < 15; trial++) {
            Map<String, Double> proposal = sampler.propose(trial, history);
            assertThat(proposal.containsKey("momentum")).isEqualTo(proposal.get("type") == 0.0);
            history.add(Observation.complete(trial, proposal, proposal.getOrDefault("momentum", 1.0)));
        }
    }

    @Test
    void runningTrialsCountAsBadSoThatParallelProposalsSpreadOut() {
        TestFunction branin = TestFunction.branin();
        TpeSampler sampler = new TpeSampler(branin.space(), 10, 24, 2);
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
    void weightsAndGammaAreOptunasDefaults() {
        assertThat(TpeSampler.gamma(9)).isEqualTo(1);
        assertThat(TpeSampler.gamma(50)).isEqualTo(5);
        assertThat(TpeSampler.gamma(1000)).isEqualTo(25);
        assertThat(ParzenEstimator.defaultWeights(3)).containsExactly(1, 1, 1);
        double[] weights = ParzenEstimator.defaultWeights(30);
        assertThat(weights[0]).isEqualTo(1.0 / 30);
        assertThat(weights[4]).isEqualTo(1.0);
        assertThat(Arrays.stream(weights, 5, 30)).containsOnly(1.0);
    }

    @Test
    void gaussianMassesAreAccurateInTheTails() {
        assertThat(Gaussian.logMass(-1, 1)).isCloseTo(Math.log(0.6826894921370859), org.assertj.core.data.Offset.offset(1e-12));
        // Φ(-9) - Φ(-10) = 1.1285884e-19 - 7.6198530e-24
        assertThat(Gaussian.logMass(-10, -9)).isCloseTo(Math.log(1.1285884e-19 - 7.6198530e-24),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Gaussian.logMass(9, 10)).isEqualTo(Gaussian.logMass(-10, -9));
    }
}

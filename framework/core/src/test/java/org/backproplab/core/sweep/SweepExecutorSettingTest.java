package org.backproplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ConfigProblem;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.config.SweepDefinition;
import org.junit.jupiter.api.Test;

/** {@code sweep.executor}: where a sweep's trials run, read and checked with the rest of the sweep. */
class SweepExecutorSettingTest {

    private static final String BASE = """
            name: s
            dataset:   { type: points, count: 10 }
            model:     { type: net, hidden: [4], activation: relu }
            loss:      { type: squared }
            optimizer: { type: sgd, lr: 0.1 }
            training:  { epochs: 2 }
            sweep:
              parameters:
                optimizer.lr: [0.1, 0.2]
            """;

    private final SweepPlanner planner = new SweepPlanner(new ExperimentLoader(SweepTestComponents.catalog()));

    private SweepPlan plan(String executor) throws ConfigException {
        return planner.plan("s.yaml", BASE + executor, List.of()).orElseThrow();
    }

    @Test
    void aNameOrAMappingWithMasterAndSettings() throws ConfigException {
        assertThat(plan("  executor: spark\n").definition().executor())
                .extracting(SweepDefinition.Executor::type, SweepDefinition.Executor::master)
                .containsExactly("spark", null);
        SweepDefinition.Executor executor = plan("""
                  executor:
                    type: spark
                    master: spark://host:7077
                    conf: { spark.executor.cores: 2, spark.executor.memory: 4g }
                """).definition().executor();
        assertThat(executor.master()).isEqualTo("spark://host:7077");
        assertThat(executor.conf()).containsExactly(Map.entry("spark.executor.cores", "2"),
                Map.entry("spark.executor.memory", "4g"));
        assertThat(plan("").definition().executor()).isNull();
    }

    @Test
    void whereTrialsRunIsNoPartOfTheSweepsIdentitySoASweepResumesOnACluster() throws ConfigException {
        assertThat(plan("  executor: { type: spark, master: 'spark://h:7077' }\n").sweepId())
                .isEqualTo(plan("").sweepId());
    }

    @Test
    void everyProblemIsReportedAtItsPosition() {
        ConfigException e = catchThrowableOfType(() -> plan("""
                  executor:
                    typ: spark
                    master: [a]
                    conf: { spark.executor.memory: [4g] }
                """), ConfigException.class);
        assertThat(e).isNotNull();
        assertThat(e.problems().stream().map(ConfigProblem::toString).toList()).containsExactly(
                "s.yaml:11:5: sweep.executor.typ: unknown key of sweep.executor; did you mean 'type'? (known: type, master, conf)",
                "s.yaml:11:5: sweep.executor.type: missing (required): the executor's name, e.g. spark",
                "s.yaml:12:13: sweep.executor.master: must be the cluster's address, e.g. spark://host:7077, yarn or"
                        + " k8s://https://host:6443, got a list",
                "s.yaml:13:36: sweep.executor.conf.spark.executor.memory: must be a single value, e.g. 4g, got a list");
    }

    @Test
    void aPrunerAppliesOnAClustersExecutorAsOnThisMachine() throws ConfigException {
        SweepPlan onSpark = plan("  pruner: { type: median }\n  executor: spark\n");
        assertThat(onSpark.definition().pruner()).isNotNull();
        assertThat(onSpark.definition().executor().type()).isEqualTo("spark");
        assertThat(plan("  pruner: { type: median }\n  executor: local\n").definition().pruner()).isNotNull();
    }
}

package org.backproplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.ExperimentLoader;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;

class SweepSummaryTest {

    private static final String SWEEP = """
            name: s
            dataset:   { type: points }
            model:     { type: net }
            loss:      { type: squared }
            optimizer: { type: sgd }
            sweep:
              parameters:
                optimizer.lr: [0.001, 0.01, 0.1, 1.0, 10.0]
            objective: { metric: eval/accuracy, mode: max }
            """;

    private static Run run(String id, Service.RunStatus status, Map<String, Double> metrics, Map<String, String> tags) {
        Service.RunData.Builder data = Service.RunData.newBuilder();
        metrics.forEach((key, value) -> data.addMetrics(Service.Metric.newBuilder().setKey(key).setValue(value)));
        tags.forEach((key, value) -> data.addTags(Service.RunTag.newBuilder().setKey(key).setValue(value)));
        return Run.newBuilder()
                .setInfo(Service.RunInfo.newBuilder().setRunId(id).setStatus(status).setStartTime(1_000).setEndTime(3_500))
                .setData(data)
                .build();
    }

    private static SweepSummary summary() throws ConfigException {
        SweepPlan plan = new SweepPlanner(new ExperimentLoader(SweepTestComponents.catalog()))
                .plan("s.yaml", SWEEP, List.of()).orElseThrow();
        Map<Integer, Run> latest = new LinkedHashMap<>();
        latest.put(1, run("r1", Service.RunStatus.FINISHED, Map.of("eval/accuracy", 0.61, "train/loss", 1.2), Map.of()));
        latest.put(2, run("r2", Service.RunStatus.FINISHED, Map.of("eval/accuracy", 0.83, "train/loss", 0.5),
                Map.of("lab.outcome", "stopped early at step 40 (epoch 2): eval/loss did not improve; 40 steps")));
        latest.put(3, run("r3", Service.RunStatus.FINISHED, Map.of("eval/accuracy", 0.87, "train/loss", 0.4), Map.of()));
        latest.put(4, run("r4", Service.RunStatus.FAILED, Map.of("eval/accuracy", 0.1, "train/loss", Double.NaN),
                Map.of("lab.outcome", "diverged at step 12 (epoch 1): train/loss is NaN")));
        // Trial 5 never ran (a --fail-fast stop).
        return SweepSummary.of(plan, latest);
    }

    @Test
    void rowsAreBestFirstByTheObjectiveThenTheTrialsWithoutAValue() throws ConfigException {
        SweepSummary summary = summary();

        assertThat(summary.rows()).extracting(row -> row.trial().index()).containsExactly(3, 2, 1, 4, 5);
        assertThat(summary.rows()).extracting(SweepSummary.Row::status)
                .containsExactly("FINISHED", "FINISHED", "FINISHED", "FAILED", "NOT RUN");
        assertThat(summary.best()).map(SweepSummary.Row::runId).contains("r3");
        assertThat(summary.counts()).isEqualTo("5 trials: 1 FAILED, 3 FINISHED, 1 NOT RUN");
        assertThat(summary.rows().get(0).seconds()).isEqualTo(2.5);
    }

    @Test
    void theTableShowsValuesStatusObjectiveAndWhyATrialFailedOrStoppedEarly() throws ConfigException {
        List<String> lines = summary().table().lines().toList();

        assertThat(lines.get(0)).matches("#\\s+lr\\s+status\\s+eval/accuracy\\s+train/loss\\s+seconds\\s+note");
        assertThat(lines.get(1)).matches("3\\s+0\\.1\\s+FINISHED\\s+0\\.8700\\s+0\\.4000\\s+2\\.5");
        assertThat(lines.get(2)).endsWith("stopped early at step 40 (epoch 2): eval/loss did not improve");
        assertThat(lines.get(4)).contains("FAILED").contains("NaN").endsWith("diverged at step 12 (epoch 1): train/loss is NaN");
        assertThat(lines.get(5)).startsWith("5  10 ").contains("NOT RUN");
    }

    @Test
    void theGradientRatiosAreColumnsWhenTrialsLoggedThem() throws ConfigException {
        SweepPlan plan = new SweepPlanner(new ExperimentLoader(SweepTestComponents.catalog()))
                .plan("s.yaml", SWEEP, List.of()).orElseThrow();
        Map<Integer, Run> latest = new LinkedHashMap<>();
        latest.put(1, run("r1", Service.RunStatus.FINISHED, Map.of("eval/accuracy", 0.1,
                "summary/log10_grad_ratio_init", -5.7, "summary/log10_grad_ratio_end", -5.2), Map.of()));
        latest.put(2, run("r2", Service.RunStatus.FINISHED, Map.of("eval/accuracy", 0.8,
                "summary/log10_grad_ratio_init", 0.43, "summary/log10_grad_ratio_end", 0.5),
                Map.of("lab.warning", "loss grew 10^9× (from 0.69 at step 1 to 2.7e9 at step 40)")));
        List<String> lines = SweepSummary.of(plan, latest).table().lines().toList();

        assertThat(lines.get(0)).matches("#\\s+lr\\s+status\\s+eval/accuracy\\s+summary/log10_grad_ratio_init"
                + "\\s+summary/log10_grad_ratio_end\\s+seconds\\s+note");
        assertThat(lines.get(1)).matches("2\\s+0\\.01\\s+FINISHED\\s+0\\.8000\\s+0\\.4300\\s+0\\.5000\\s+2\\.5"
                + "\\s+warning: loss grew 10\\^9× \\(from 0\\.69 at step 1 to 2\\.7e9 at step 40\\)");
        assertThat(lines.get(2)).matches("1\\s+0\\.001\\s+FINISHED\\s+0\\.1000\\s+-5\\.700\\s+-5\\.200\\s+2\\.5");
        // Trials that logged none (diagnostics of another kind of run) get no such column.
        assertThat(summary().table().lines().findFirst().orElseThrow()).doesNotContain("grad_ratio");
    }

    @Test
    void csvAndMarkdownCarryTheSameRowsWithRunIds() throws ConfigException {
        SweepSummary summary = summary();

        List<String> csv = summary.csv().lines().toList();
        assertThat(csv.get(0)).isEqualTo("#,lr,status,eval/accuracy,train/loss,seconds,run_id,note");
        assertThat(csv.get(1)).isEqualTo("3,0.1,FINISHED,0.8700,0.4000,2.5,r3,");
        assertThat(csv).hasSize(6);
        assertThat(summary.markdown()).contains("Objective: eval/accuracy (max).")
                .contains("| # | lr | status | eval/accuracy | train/loss | seconds | run_id | note |")
                .contains("| 3 | 0.1 | FINISHED | 0.8700 | 0.4000 | 2.5 | r3 |  |");
    }

    @Test
    void valuesAreWrittenAsYamlForOverridesAndShortForNames() {
        assertThat(ValueText.override("optimizer.lr", 1.0e-4)).isEqualTo("optimizer.lr=1.0E-4");
        assertThat(ValueText.override("model.hidden", List.of(64L, 64L))).isEqualTo("model.hidden=[64, 64]");
        // A string that YAML would read as a number or boolean stays a string.
        assertThat(ValueText.override("x", "1e-3")).isEqualTo("x='1e-3'");
        assertThat(ValueText.override("x", "true")).isEqualTo("x='true'");
        assertThat(ValueText.label(1.0e-4)).isEqualTo("0.0001");
        assertThat(ValueText.label(1.0e-5)).isEqualTo("1e-05");
        assertThat(ValueText.label(0.0031623)).isEqualTo("0.0031623");
        assertThat(ValueText.label(2.5e7)).isEqualTo("2.5e+07");
        assertThat(ValueText.label(10.0)).isEqualTo("10");
    }
}

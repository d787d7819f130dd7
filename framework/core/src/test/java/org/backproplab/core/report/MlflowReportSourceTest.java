package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowServerExtension;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunLogger;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;

/** A sweep logged to a real MLflow server, read back into a report. */
class MlflowReportSourceTest {

    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    private static final String EXPERIMENT = "report-source";

    private static MlflowTracker tracker;

    @TempDir
    Path directory;

    @BeforeAll
    static void connect() {
        tracker = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none());
    }

    @AfterAll
    static void disconnect() {
        tracker.close();
    }

    @Test
    void aParentRunsChildrenAreTheTrialsWithTheirFullHistories() throws IOException {
        RunLogger parent = tracker.startRun(EXPERIMENT, "sweep", Map.of(), null);
        String sigmoid = logChild(parent, "sigmoid-d3", "sigmoid", 0.1, RunStatus.FINISHED);
        String relu = logChild(parent, "relu-d3", "relu", 1.0, RunStatus.FINISHED);
        String failed = logChild(parent, "tanh-d3", "tanh", 0.9, RunStatus.FAILED);
        tracker.startRun(EXPERIMENT, "unrelated", Map.of(), null).close();

        ReportData data = MlflowReportSource.load(tracker, parent.runId());

        assertThat(data.title()).isEqualTo("sweep");
        assertThat(data.trials()).extracting(TrialData::runId).containsExactly(sigmoid, relu, failed);
        assertThat(data.trials()).extracting(TrialData::name).containsExactly("sigmoid-d3", "relu-d3", "tanh-d3");
        assertThat(data.trials()).extracting(TrialData::status).containsExactly("FINISHED", "FINISHED", "FAILED");
        TrialData first = data.trials().get(0);
        assertThat(first.params()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "model.depth", "3", "model.activation", "sigmoid", "model.init", "xavier"));
        assertThat(first.metrics()).containsOnlyKeys(
                "grad_norm/layer_01", "grad_norm/layer_02", "grad_norm/layer_03", "train/loss");
        assertThat(first.history("grad_norm/layer_01")).containsExactly(
                new MetricPoint(0, norm(0.1, 1, 0)), new MetricPoint(10, norm(0.1, 1, 10)),
                new MetricPoint(20, norm(0.1, 1, 20)));
        for (TrialData trial : data.trials()) {
            for (String key : trial.metrics().keySet()) {
                List<MetricPoint> fromServer = tracker.metricHistory(trial.runId(), key).stream()
                        .map(metric -> new MetricPoint(metric.getStep(), metric.getValue())).toList();
                assertThat(trial.history(key)).as(key).isEqualTo(fromServer).hasSize(3);
            }
        }
        // The failed trial diverged: its NaN comes back as NaN.
        assertThat(data.trials().get(2).last("train/loss").orElseThrow().value()).isNaN();

        ReportWriter.write(data, directory);
        String markdown = Files.readString(directory.resolve("report.md"));
        for (TrialData trial : data.trials()) {
            for (String layer : List.of("grad_norm/layer_01", "grad_norm/layer_03")) {
                Metric initial = tracker.metricHistory(trial.runId(), layer).get(0);
                assertThat(markdown).contains("| " + format(initial.getValue()) + " |");
            }
        }
        List<String> sigmoidRow = ReportWriterTest.row(markdown, "Gradient norms at initialisation", "sigmoid-d3");
        assertThat(sigmoidRow).containsExactly("sigmoid-d3", "sigmoid", "0", format(norm(0.1, 1, 0)),
                format(norm(0.1, 2, 0)), format(norm(0.1, 3, 0)), format(0.01));
        assertThat(ReportWriterTest.row(markdown, "Learning curves and final metrics", "tanh-d3"))
                .containsExactly("tanh-d3", "tanh", "FAILED", "20", "NaN");

        parent.close();
    }

    @Test
    void aRunWithoutChildrenIsItsOwnOnlyTrial() {
        String runId;
        try (RunLogger run = tracker.startRun(EXPERIMENT, "single", Map.of("objective.metric", "train/loss",
                "objective.mode", "min"), null)) {
            runId = run.runId();
            run.logParams(Map.of("optimizer.lr", "0.5"));
            run.logMetric("train/loss", 0.7, 0);
            run.logMetric("train/loss", 0.2, 5);
        }

        ReportData data = MlflowReportSource.load(tracker, runId);

        assertThat(data.title()).isEqualTo("single");
        assertThat(data.objectiveMetric()).isEqualTo("train/loss");
        assertThat(data.objectiveMode()).isEqualTo("min");
        assertThat(data.trials()).singleElement().satisfies(trial -> {
            assertThat(trial.runId()).isEqualTo(runId);
            assertThat(trial.params()).containsExactlyEntriesOf(Map.of("optimizer.lr", "0.5"));
            assertThat(trial.history("train/loss")).containsExactly(new MetricPoint(0, 0.7), new MetricPoint(5, 0.2));
        });
    }

    @Test
    void theReportIsUploadedUnderReport() throws IOException {
        Report report = ReportWriter.write(SyntheticTrials.sweep(), directory);
        String runId;
        List<String> uploaded;
        try (RunLogger run = tracker.startRun(EXPERIMENT, "with-report", Map.of(), null)) {
            runId = run.runId();
            uploaded = ReportUploader.upload(run, report);
        }

        assertThat(uploaded).hasSize(report.files().size()).contains("report/report.html", "report/gradient-norms.png");
        assertThat(tracker.listArtifacts(runId, "report")).containsExactlyInAnyOrderElementsOf(uploaded);
        assertThat(tracker.downloadArtifact(runId, "report/report.md")).isEqualTo(Files.readAllBytes(report.markdown()));
    }

    @Test
    void anUnknownRunIsAClearError() {
        assertThatThrownBy(() -> MlflowReportSource.load(tracker, "0123456789abcdef0123456789abcdef"))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("0123456789abcdef0123456789abcdef");
        assertThatThrownBy(() -> MlflowReportSource.load(tracker, "x' OR '1'='1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Gradient norm of {@code layer} of a 3-layer net at {@code step}: shrinks by {@code factor} per layer. */
    private static double norm(double factor, int layer, long step) {
        return 0.5 * Math.pow(factor, 3 - layer) * (1 - step / 100.0);
    }

    private static String logChild(RunLogger parent, String name, String activation, double factor,
            RunStatus status) {
        RunLogger child = tracker.startRun(EXPERIMENT, name, Map.of(), parent.runId());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("model.depth", "3");
        params.put("model.activation", activation);
        params.put("model.init", "xavier");
        child.logParams(params);
        for (long step = 0; step <= 20; step += 10) {
            for (int layer = 1; layer <= 3; layer++) {
                child.logMetric(String.format("grad_norm/layer_%02d", layer), norm(factor, layer, step), step);
            }
            boolean diverges = status == RunStatus.FAILED && step == 20;
            child.logMetric("train/loss", diverges ? Double.NaN : 2.0 / (1 + step), step);
        }
        child.finish(status);
        return child.runId();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }
}

package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.tracking.MlflowClient;

/** Everything a run logs, read back from a real MLflow server. */
class MlflowTrackingTest {

    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    private static MlflowTracker tracker;

    @TempDir
    Path directory;

    @BeforeAll
    static void connect() {
        tracker = MlflowTracker.connect(MLFLOW.uri() + "/", MlflowCredentials.none());
    }

    @AfterAll
    static void disconnect() {
        tracker.close();
    }

    @Test
    void connectNormalizesTheUri() {
        assertThat(tracker.trackingUri()).isEqualTo(MLFLOW.uri());
    }

    @Test
    void aTrackerConnectedUnderANameShowsTheNameAndNeverTheAddress() {
        try (MlflowTracker named = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none(),
                TrackingTimeouts.current(), "of the sweep")) {
            String address = MLFLOW.uri().replace("http://", "");
            assertThatThrownBy(() -> named.getRun("0123456789abcdef0123456789abcdef"))
                    .hasMessageContaining("MLflow server of the sweep has no run")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(address));
            assertThat(named.shownAs()).isEqualTo("of the sweep");
        }
        assertThatThrownBy(() -> tracker.getRun("0123456789abcdef0123456789abcdef"))
                .hasMessageContaining("MLflow server at " + MLFLOW.uri() + " has no run");
    }

    @Test
    void experimentsAreCreatedOnceAndFoundAgain() {
        String id = tracker.experimentId("get-or-create");

        assertThat(tracker.experimentId("get-or-create")).isEqualTo(id);
        try (MlflowTracker other = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none())) {
            assertThat(other.experimentId("get-or-create")).isEqualTo(id);
        }
        assertThat(tracker.findExperiment("no-such-experiment")).isEmpty();
    }

    @Test
    void aDeletedExperimentIsAClearError() {
        try (MlflowClient client = new MlflowClient(MLFLOW.uri())) {
            client.deleteExperiment(client.createExperiment("deleted-one"));
        }
        try (MlflowTracker fresh = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none())) {
            assertThatThrownBy(() -> fresh.experimentId("deleted-one"))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("'deleted-one'")
                    .hasMessageContaining("deleted");
        }
    }

    @Test
    void paramsTagsAndMetricsAreReadBack() {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) { // three requests of at most 100
            params.put(String.format("model/layer_%03d.width", i), Integer.toString(i * 2));
        }
        int steps = 2500; // three batches of at most 1000 for one key
        String runId;
        try (RunLogger run = tracker.startRun("full-run", "run-a", Map.of("team", "vision"), null)) {
            runId = run.runId();
            run.logParams(params);
            run.setTags(Map.of("mlflow.note.content", "# notes", "stage", "test"));
            for (int step = 0; step < steps; step++) {
                run.logMetric("train/loss", 1.0 / (step + 1), step);
                if (step % 100 == 0) {
                    run.logMetric("val/accuracy", step / 2500.0, step);
                }
            }
        }

        Run run = tracker.getRun(runId);
        assertThat(run.getInfo().getRunName()).isEqualTo("run-a");
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(run.getInfo().getEndTime()).isGreaterThanOrEqualTo(run.getInfo().getStartTime()).isPositive();
        assertThat(run.getData().getParamsList().stream()
                .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue))).isEqualTo(params);
        assertThat(tagsOf(run)).containsEntry("mlflow.runName", "run-a").containsEntry("team", "vision")
                .containsEntry("stage", "test").containsEntry("mlflow.note.content", "# notes");

        List<Metric> loss = tracker.metricHistory(runId, "train/loss");
        assertThat(loss).extracting(Metric::getStep)
                .containsExactlyElementsOf(LongStream.range(0, steps).boxed().collect(Collectors.toList()));
        assertThat(loss).allSatisfy(metric -> assertThat(metric.getValue()).isEqualTo(1.0 / (metric.getStep() + 1)));
        assertThat(tracker.metricHistory(runId, "train/loss", 1000)).as("read in three pages").isEqualTo(loss);
        assertThat(tracker.metricHistory(runId, "val/accuracy")).hasSize(25);
    }

    @Test
    void theDatasetInputArrivesWithTheRun() {
        String runId;
        try (RunLogger run = tracker.startRun("inputs", "with-dataset", Map.of(), null)) {
            runId = run.runId();
            run.logDatasetInput("fashion-mnist", "0a1b2c3d", "local", "{\"type\":\"fashion-mnist\",\"seed\":42}");
            run.logMetric("loss", 0.5, 0);
        }

        List<Service.DatasetInput> inputs = tracker.getRun(runId).getInputs().getDatasetInputsList();
        assertThat(inputs).hasSize(1);
        Service.Dataset dataset = inputs.get(0).getDataset();
        assertThat(List.of(dataset.getName(), dataset.getDigest(), dataset.getSourceType(), dataset.getSource()))
                .containsExactly("fashion-mnist", "0a1b2c3d", "local", "{\"type\":\"fashion-mnist\",\"seed\":42}");
        assertThat(inputs.get(0).getTagsList()).extracting(Service.InputTag::getKey, Service.InputTag::getValue)
                .containsExactly(tuple("mlflow.data.context", "training"));
    }

    @Test
    void metricsAreSentWithinAboutASecondWithoutFlush() throws InterruptedException {
        try (RunLogger run = tracker.startRun("background", "no-flush", Map.of(), null)) {
            run.logMetric("loss", 0.5, 0);
            run.logMetric("loss", 0.25, 1);

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (tracker.metricHistory(run.runId(), "loss").size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(tracker.metricHistory(run.runId(), "loss")).extracting(Metric::getValue).containsExactly(0.5, 0.25);
        }
    }

    @Test
    void nonFiniteValuesAreAccepted() {
        String runId;
        try (RunLogger run = tracker.startRun("non-finite", "diverged", Map.of(), null)) {
            runId = run.runId();
            run.logMetric("loss", Double.NaN, 0);
            run.logMetric("loss", Double.POSITIVE_INFINITY, 1);
            run.logMetric("loss", Double.NEGATIVE_INFINITY, 2);
        }

        List<Double> values = tracker.metricHistory(runId, "loss").stream().map(Metric::getValue)
                .collect(Collectors.toList());
        assertThat(values).hasSize(3);
        assertThat(values.get(0)).isNaN();
        // MLflow's SQL store keeps ±Infinity as ±Double.MAX_VALUE
        assertThat(values.get(1)).isGreaterThanOrEqualTo(Double.MAX_VALUE);
        assertThat(values.get(2)).isLessThanOrEqualTo(-Double.MAX_VALUE);
        assertThat(tracker.getRun(runId).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
    }

    @Test
    void historiesOfManyRunsReadTogetherEqualEachRunsOwn() {
        List<String> runIds = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            try (RunLogger run = tracker.startRun("bulk-history", "run-" + r, Map.of(), null)) {
                runIds.add(run.runId());
                for (int step = 0; step <= 20 * r; step++) {
                    run.logMetric("loss", 1.0 / (step + r + 1), step);
                }
                if (r == 1) { // a diverged run: the bulk answer writes NaN bare
                    run.logMetric("loss", Double.NaN, 21);
                    run.logMetric("loss", Double.POSITIVE_INFINITY, 22);
                }
            }
        }
        try (RunLogger run = tracker.startRun("bulk-history", "without-loss", Map.of(), null)) {
            runIds.add(run.runId());
            run.logMetric("accuracy", 0.5, 0);
        }

        Map<String, List<Metric>> together = tracker.metricHistories(runIds, "loss");

        assertThat(together.keySet()).containsExactlyElementsOf(runIds);
        assertThat(together.get(runIds.get(3))).isEmpty();
        for (String runId : runIds.subList(0, 3)) {
            assertThat(together.get(runId)).extracting(Metric::getStep, Metric::getValue)
                    .containsExactlyElementsOf(tracker.metricHistory(runId, "loss").stream()
                            .map(metric -> tuple(metric.getStep(), metric.getValue())).toList());
        }
        assertThat(together.get(runIds.get(1))).hasSize(23).last().extracting(Metric::getValue)
                .isEqualTo(Double.MAX_VALUE); // +Infinity, as the SQL store keeps it
        assertThat(together.get(runIds.get(1)).get(21).getValue()).isNaN();
    }

    @Test
    void historiesLongerThanOneBulkAnswerAreReadInFull() {
        // MLflow's bulk read cuts its answer at max_results points, silently (at most 25,000): here at 100, of 120.
        List<String> runIds = new ArrayList<>();
        int steps = 60;
        for (int r = 0; r < 2; r++) {
            try (RunLogger run = tracker.startRun("bulk-history-long", "run-" + r, Map.of(), null)) {
                runIds.add(run.runId());
                for (int step = 0; step < steps; step++) {
                    run.logMetric("loss", step + r, step);
                }
            }
        }

        Map<String, List<Metric>> together = tracker.metricHistories(runIds, "loss", 100);

        for (int r = 0; r < 2; r++) {
            int offset = r;
            assertThat(together.get(runIds.get(r))).hasSize(steps)
                    .allSatisfy(metric -> assertThat(metric.getValue()).isEqualTo(metric.getStep() + offset));
        }
    }

    @Test
    void failedAndKilledRunsKeepTheirStatus() {
        RunLogger failed = tracker.startRun("statuses", "failed", Map.of(), null);
        RunLogger killed = tracker.startRun("statuses", "killed", Map.of(), null);

        failed.finish(RunStatus.FAILED);
        failed.finish(RunStatus.FINISHED); // ignored
        failed.close(); // ignored
        killed.finish(RunStatus.KILLED);

        assertThat(tracker.getRun(failed.runId()).getInfo().getStatus()).isEqualTo(Service.RunStatus.FAILED);
        assertThat(tracker.getRun(killed.runId()).getInfo().getStatus()).isEqualTo(Service.RunStatus.KILLED);
        assertThat(tracker.getRun(killed.runId()).getInfo().getEndTime()).isPositive();
        assertThatThrownBy(() -> failed.logMetric("loss", 1, 0))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("already finished");
    }

    @Test
    void childRunsNestUnderTheirParent() {
        String experimentId = tracker.experimentId("sweep");
        try (RunLogger parent = tracker.startRun("sweep", "sweep", Map.of(), null)) {
            String childId;
            try (RunLogger child = tracker.startRun("sweep", "lr=0.1", Map.of("lr", "0.1"), parent.runId())) {
                childId = child.runId();
            }
            tracker.startRun("sweep", "unrelated", Map.of(), null).close();

            List<Run> children = tracker.searchRuns(experimentId,
                    "tags.mlflow.parentRunId = '" + parent.runId() + "'");

            assertThat(children).extracting(run -> run.getInfo().getRunId()).containsExactly(childId);
            assertThat(tagsOf(children.get(0))).containsEntry("mlflow.parentRunId", parent.runId())
                    .containsEntry("mlflow.runName", "lr=0.1");
            assertThat(tracker.searchRuns(experimentId, null)).hasSize(3);
        }
    }

    @Test
    void artifactsAreUploadedListedAndDownloaded() throws Exception {
        byte[] config = "model:\n  width: 64\n".getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[300_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        Path file = Files.write(directory.resolve("weights and biases.bin"), binary);
        try (RunLogger run = tracker.startRun("artifacts", "with-files", Map.of(), null)) {
            run.logArtifact("", "config.yaml", config);
            run.logArtifact("checkpoints/epoch 01", file);
            run.logArtifact("/reports/", "ünïcode (1)?.txt", "ok".getBytes(StandardCharsets.UTF_8));
            assertThat(run.flush()).isTrue();

            assertThat(tracker.listArtifacts(run.runId(), ""))
                    .containsExactlyInAnyOrder("config.yaml", "checkpoints/", "reports/");
            assertThat(tracker.listArtifacts(run.runId(), "checkpoints/epoch 01"))
                    .containsExactly("checkpoints/epoch 01/weights and biases.bin");
            assertThat(tracker.downloadArtifact(run.runId(), "config.yaml")).isEqualTo(config);
            assertThat(tracker.downloadArtifact(run.runId(), "checkpoints/epoch 01/weights and biases.bin"))
                    .isEqualTo(binary);
            assertThat(new String(tracker.downloadArtifact(run.runId(), "reports/ünïcode (1)?.txt"),
                    StandardCharsets.UTF_8)).isEqualTo("ok");
            assertThatThrownBy(() -> tracker.downloadArtifact(run.runId(), "missing.txt"))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("missing.txt");
            assertThatThrownBy(() -> run.logArtifact("../escape", "x.txt", config))
                    .isInstanceOf(TrackingException.class);
            assertThatThrownBy(() -> run.logArtifact("", "issue #12.txt", config))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("issue #12.txt");
        }
    }

    @Test
    void artifactsNeedAServerThatServesThem() {
        try (MlflowClient client = new MlflowClient(MLFLOW.uri())) {
            client.createExperiment(Service.CreateExperiment.newBuilder()
                    .setName("local-artifact-root")
                    .setArtifactLocation(directory.toUri().toString())
                    .build());
        }
        try (RunLogger run = tracker.startRun("local-artifact-root", "plain", Map.of(), null)) {
            assertThatThrownBy(() -> run.logArtifact("", "a.txt", new byte[] {1}))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("must serve artifacts")
                    .hasMessageContaining(run.runId());
        }
    }

    @Test
    void aParamTooLongIsAClearErrorNamingIt() {
        try (RunLogger run = tracker.startRun("limits", "long-param", Map.of(), null)) {
            Map<String, String> params = Map.of("optimizer/schedule", "x".repeat(6001));

            assertThatThrownBy(() -> run.logParams(params))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("'optimizer/schedule'")
                    .hasMessageContaining("6001")
                    .hasMessageContaining("6000");
            run.logParams(Map.of("optimizer/schedule", "x".repeat(6000)));
            assertThat(run.flush()).isTrue();
            assertThat(tracker.getRun(run.runId()).getData().getParams(0).getValue()).hasSize(6000);
        }
    }

    @Test
    void invalidNamesAreRefusedBeforeSending() {
        try (RunLogger run = tracker.startRun("limits", "bad-names", Map.of(), null)) {
            assertThatThrownBy(() -> run.logMetric("loss!", 1, 0))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("'loss!'");
            assertThatThrownBy(() -> run.setTags(Map.of("../up", "v")))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("'../up'");
            assertThatThrownBy(() -> run.setTags(Map.of("t", "v".repeat(8001))))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("8000");
        }
    }

    @Test
    void aRecordTheServerRefusesIsSkippedAloneAndTheRestArrives() {
        try (RunLogger run = tracker.startRun("limits", "changed-param", Map.of(), null)) {
            run.logParams(Map.of("lr", "0.1"));
            run.flush();

            // One request: the changed param, refused (MLflow keeps a param's first value), and the points beside it.
            run.logParams(Map.of("lr", "0.2", "momentum", "0.9"));
            run.logMetric("loss", 1.0, 0);
            run.logMetric("loss", 0.5, 1);
            assertThat(run.flush()).isTrue();

            Map<String, String> params = tracker.getRun(run.runId()).getData().getParamsList().stream()
                    .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
            assertThat(params).containsEntry("lr", "0.1").containsEntry("momentum", "0.9");
            assertThat(tracker.metricHistory(run.runId(), "loss")).hasSize(2);
        }
    }

    @Test
    void aRunDeletedUnderUsDoesNotFailTheCaller() {
        RunLogger run = tracker.startRun("failures", "deleted-under-us", Map.of(), null);
        try (MlflowClient client = new MlflowClient(MLFLOW.uri())) {
            client.deleteRun(run.runId());
        }
        run.logMetric("loss", 1, 0);

        assertThat(run.flush()).isTrue(); // refused, skipped with a warning: training goes on
        run.logMetric("loss", 2, 1);
        run.finish(RunStatus.FINISHED);
        run.finish(RunStatus.FINISHED); // finished once, ignored now
        assertThat(run.isFinished()).isTrue();
    }

    private static Map<String, String> tagsOf(Run run) {
        return run.getData().getTagsList().stream()
                .collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

/** {@code ./lab run --from RUN_ID}: the same numbers again, from what the run recorded, plugins included. */
class RerunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void aRerunFromTheRecordedConfigurationGivesBitIdenticalMetrics() throws Exception {
        JsonNode original = run("run", LabProcess.experiment("xor.yaml").toString(), "--set", "training.epochs=300",
                "--set", "tracking.experiment=rerun-xor");

        JsonNode again = run("run", "--from", original.get("run_id").asText());

        assertThat(again.get("status").asText()).isEqualTo("FINISHED");
        assertSameHistories(original.get("run_id").asText(), again.get("run_id").asText(),
                List.of("train/loss", "eval/loss", "grad_norm/layer_01", "grad_norm/layer_02"));
        Map<String, String> tags = tags(again.get("run_id").asText());
        assertThat(tags).containsEntry("lab.rerun_of", original.get("run_id").asText())
                .containsEntry("lab.threads", tags(original.get("run_id").asText()).get("lab.threads"));
    }

    @Test
    void aPluginRunRecordsItsJarsAndReRunsFromItsPluginFolderOrRefusesWhenItIsGone() throws Exception {
        Path plugins = Files.createDirectories(folder.resolve("my plugins")); // a space: the command must quote it
        Path jar;
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("lab.test.plugins", "target/test-plugins")))) {
            Path built = jars.filter(path -> path.getFileName().toString().startsWith("backprop-lab-plugin-example"))
                    .findFirst().orElseThrow();
            jar = Files.copy(built, plugins.resolve(built.getFileName()));
        }
        JsonNode original = run("run", LabProcess.projectRoot().resolve("plugins/example/two-moons.yaml").toString(),
                "--plugins", plugins.toString(), "--set", "training.epochs=2", "--set", "tracking.experiment=rerun-plugin");
        String runId = original.get("run_id").asText();

        Map<String, String> tags = tags(runId);
        String key = "lab.plugin." + jar.getFileName().toString().replaceFirst("\\.jar$", "");
        assertThat(tags.get("lab.command")).contains("--plugins '" + plugins.toAbsolutePath() + "'")
                .contains("--set 'training.epochs=2'");
        assertThat(tags).containsEntry(key + ".sha256", sha256(jar))
                .containsEntry(key + ".version", "0.2.0-SNAPSHOT")
                .containsEntry(key + ".jar", jar.toAbsolutePath().toString());
        assertThat(tags.get(key + ".components")).contains("dataset two-moons").contains("model swish-mlp");

        JsonNode again = run("run", "--from", runId); // no --plugins: the recorded folder is used
        assertSameHistories(runId, again.get("run_id").asText(), List.of("train/loss", "eval/loss"));

        Files.delete(jar);
        Files.delete(plugins);
        long runsBefore = runCount("rerun-plugin");
        LabProcess.Result refused = LabProcess.lab("run", "--from", runId, "--tracking-uri", SharedMlflowServer.uri());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
        assertThat(refused.err()).contains("needs plugins that are not loaded").contains("dataset 'two-moons'")
                .contains(jar.getFileName().toString().replaceFirst("\\.jar$", "")).contains("--plugins DIR")
                .doesNotContain("Exception");
        assertThat(runCount("rerun-plugin")).as("nothing logged").isEqualTo(runsBefore);
    }

    /** Runs {@code ./lab ... --json} against the shared test server and returns its result object. */
    private static JsonNode run(String... arguments) throws IOException {
        String[] all = Stream.concat(Stream.of(arguments), Stream.of("--json", "--tracking-uri", SharedMlflowServer.uri()))
                .toArray(String[]::new);
        LabProcess.Result result = LabProcess.lab(all);
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out().strip().lines()).as("one JSON object on standard output").hasSize(1);
        return JSON.readTree(result.out());
    }

    private static void assertSameHistories(String originalId, String rerunId, List<String> keys) {
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            for (String key : keys) {
                List<String> original = points(tracker, originalId, key);
                assertThat(original).as(key).isNotEmpty();
                assertThat(points(tracker, rerunId, key)).as(key + ", bit for bit").isEqualTo(original);
            }
        }
    }

    /** Each point as step and the exact bits of its value. */
    private static List<String> points(MlflowTracker tracker, String runId, String key) {
        return tracker.metricHistory(runId, key).stream()
                .map(metric -> metric.getStep() + ":" + Long.toHexString(Double.doubleToRawLongBits(metric.getValue())))
                .toList();
    }

    private static Map<String, String> tags(String runId) {
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            return tracker.getRun(runId).getData().getTagsList().stream()
                    .collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue));
        }
    }

    private static long runCount(String experiment) {
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            return tracker.searchRuns(tracker.experimentId(experiment), "").size();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

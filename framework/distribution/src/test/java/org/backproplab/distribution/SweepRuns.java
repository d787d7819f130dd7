package org.backproplab.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;

/** Reads a sweep's runs back from the test MLflow server. */
final class SweepRuns {

    private SweepRuns() {}

    /** Every run of MLflow experiment {@code experimentName}, newest first; empty when it does not exist. */
    static List<Service.Run> all(String experimentName) {
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            return tracker.findExperiment(experimentName)
                    .map(experiment -> tracker.searchRuns(experiment.getExperimentId(), ""))
                    .orElse(List.of());
        }
    }

    static List<Service.Run> parents(List<Service.Run> runs) {
        return runs.stream().filter(run -> "parent".equals(tag(run, "lab.sweep.role"))).toList();
    }

    static List<Service.Run> children(List<Service.Run> runs, String parentRunId) {
        return runs.stream().filter(run -> parentRunId.equals(tag(run, "mlflow.parentRunId"))).toList();
    }

    static String tag(Service.Run run, String key) {
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(key))
                .map(Service.RunTag::getValue).findFirst().orElse(null);
    }

    static Map<String, String> params(Service.Run run) {
        Map<String, String> params = new LinkedHashMap<>();
        run.getData().getParamsList().forEach(param -> params.put(param.getKey(), param.getValue()));
        return params;
    }

    static String name(Service.Run run) {
        return run.getInfo().getRunName();
    }

    /**
     * The run ids whose {@code mlflow.parentRunId} tag is {@code parentRunId}, asked of the server's REST API
     * directly (runs/search), as any MLflow client or the UI would see them.
     */
    static List<String> childIdsOverRest(String experimentId, String parentRunId) {
        String body = "{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \"tags.mlflow.parentRunId = '"
                + parentRunId + "'\", \"max_results\": 1000}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(SharedMlflowServer.uri() + "/api/2.0/mlflow/runs/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            String json = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
            List<String> ids = new ArrayList<>();
            Matcher runId = Pattern.compile("\"run_id\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(json);
            while (runId.find()) {
                if (!ids.contains(runId.group(1))) {
                    ids.add(runId.group(1));
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The artifact paths of a run below {@code directory}. */
    static List<String> artifacts(String runId, String directory) {
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            return tracker.listArtifacts(runId, directory);
        }
    }
}

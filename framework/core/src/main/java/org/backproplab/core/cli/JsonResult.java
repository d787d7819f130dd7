package org.backproplab.core.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.run.ExperimentRunner.RunResult;
import org.backproplab.core.sweep.SweepOutcome;
import org.backproplab.core.sweep.SweepPlan;

/** {@code ./lab run --json}: the final result as one JSON object on one line of standard output, for scripts. */
final class JsonResult {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResult() {}

    static void printRun(RunResult result, Experiment experiment, String trackingUri, int threads, double seconds,
            int exitCode) {
        ObjectNode object = JSON.createObjectNode();
        object.put("kind", "run");
        object.put("status", result.status().name());
        object.put("exit_code", exitCode);
        object.put("experiment", experiment.name());
        object.put("run_id", result.runId());
        object.put("run_url", result.runUrl());
        object.put("tracking_uri", trackingUri);
        object.put("outcome", result.outcome().message());
        object.put("steps", result.outcome().steps());
        object.put("epochs", result.outcome().epochs());
        object.put("threads", threads);
        object.put("seconds", Math.round(seconds * 1000) / 1000.0);
        ObjectNode metrics = object.putObject("metrics");
        new java.util.TreeMap<>(result.outcome().lastValues()).forEach((key, value) -> {
            if (Double.isFinite(value)) {
                metrics.put(key, value);
            } else {
                metrics.put(key, value.toString()); // JSON has no NaN or Infinity
            }
        });
        print(object);
    }

    static void printSweep(SweepOutcome outcome, SweepPlan plan, String trackingUri, int exitCode) {
        ObjectNode object = JSON.createObjectNode();
        object.put("kind", "sweep");
        object.put("status", outcome.succeeded() ? "FINISHED" : "FAILED");
        object.put("exit_code", exitCode);
        object.put("experiment", plan.name());
        object.put("method", plan.definition().method().name().toLowerCase(Locale.ROOT));
        object.put("objective", plan.objective().metric());
        object.put("mode", plan.objective().mode());
        object.put("parent_run_id", outcome.parentRunId());
        object.put("parent_run_url", outcome.parentRunUrl());
        object.put("tracking_uri", trackingUri);
        object.put("trials", outcome.trials());
        object.put("finished_trials", outcome.finished());
        object.put("summary_directory", outcome.summaryDirectory() == null ? null : outcome.summaryDirectory().toString());
        print(object);
    }

    private static void print(ObjectNode object) {
        try {
            System.out.println(JSON.writeValueAsString(object));
            System.out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
    }
}

package org.backproplab.core.tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.gson.JsonElement;
import org.mlflow_project.google.gson.JsonObject;
import org.mlflow_project.google.gson.JsonParser;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * Reads MLflow's REST answers into the Java client's protobuf messages. Protobuf and Gson come relocated
 * inside the shaded {@code mlflow-client} jar; this is the one class that touches them directly.
 */
final class ProtoJson {

    private static final int MAX_ERROR_CHARS = 500;
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames().omittingInsignificantWhitespace();

    private ProtoJson() {}

    /** {@code message} as the JSON of MLflow's REST API (the Java client sends requests the same way). */
    static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Merges {@code json} into {@code builder}; fields newer than the 2.17 protos are ignored. */
    static <B extends Message.Builder> B parse(String json, B builder, String what) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new TrackingException("Unexpected answer from the MLflow server to " + what + ": "
                    + abbreviate(json), e);
        }
    }

    /**
     * The points of a {@code metrics/get-history-bulk} answer ({@code {"metrics": [{"key", "value", "timestamp",
     * "step", "run_id"}, ...]}}), by run id, in the answer's order. Read leniently: the server writes NaN bare.
     */
    static Map<String, List<Service.Metric>> bulkMetrics(String json, String what) {
        try {
            Map<String, List<Service.Metric>> byRun = new LinkedHashMap<>();
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            if (!root.has("metrics")) {
                return byRun;
            }
            for (JsonElement element : root.getAsJsonArray("metrics")) {
                JsonObject point = element.getAsJsonObject();
                Service.Metric metric = Service.Metric.newBuilder()
                        .setKey(point.get("key").getAsString())
                        .setValue(point.get("value").getAsDouble())
                        .setTimestamp(point.get("timestamp").getAsLong())
                        .setStep(point.has("step") ? point.get("step").getAsLong() : 0)
                        .build();
                byRun.computeIfAbsent(point.get("run_id").getAsString(), run -> new ArrayList<>()).add(metric);
            }
            return byRun;
        } catch (RuntimeException e) {
            throw new TrackingException("Unexpected answer from the MLflow server to " + what + ": "
                    + abbreviate(json), e);
        }
    }

    /** The {@code message} of an MLflow error body, else the body itself, shortened. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(no details)";
        }
        try {
            JsonElement root = JsonParser.parseString(body);
            if (root.isJsonObject() && root.getAsJsonObject().has("message")) {
                return abbreviate(root.getAsJsonObject().get("message").getAsString());
            }
        } catch (RuntimeException notJson) {
            // an HTML error page from a proxy, say: show its start
        }
        return abbreviate(body.strip());
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
    }
}

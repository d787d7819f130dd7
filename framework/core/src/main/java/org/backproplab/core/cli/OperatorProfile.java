package org.backproplab.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators of a PyTorch profiler trace (the Chrome trace JSON {@code torch.autograd.profiler} writes, here
 * through DJL's {@code JniUtils.stopProfile}) that took the most time, per training step. Only outermost operators
 * count: an {@code aten::} event inside another one on the same thread (a {@code linear}'s {@code addmm}, say) is
 * part of its caller's time, so the rows add up to the operators' share of the step without counting twice.
 */
final class OperatorProfile {

    /** One operator's calls and time per step, profiler overhead included. */
    record Operator(String name, double callsPerStep, double microsPerStep) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorProfile() {}

    /** The {@code limit} outermost operators of {@code trace} with the most time, over {@code steps} steps. */
    static List<Operator> top(Path trace, int steps, int limit) throws IOException {
        JsonNode root = JSON.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<JsonNode>> byThread = new HashMap<>();
        for (JsonNode event : events) {
            if ("X".equals(event.path("ph").asText()) && event.path("name").asText().startsWith("aten::")) {
                byThread.computeIfAbsent(event.path("tid").asText(), tid -> new ArrayList<>()).add(event);
            }
        }
        Map<String, double[]> totals = new LinkedHashMap<>(); // name -> {calls, microseconds}
        for (List<JsonNode> thread : byThread.values()) {
            // By start, the longer of two that start together first: an enclosing event precedes what it encloses.
            thread.sort(Comparator.<JsonNode>comparingDouble(e -> e.path("ts").asDouble())
                    .thenComparing(e -> -e.path("dur").asDouble()));
            Deque<Double> openEnds = new ArrayDeque<>();
            for (JsonNode event : thread) {
                double start = event.path("ts").asDouble();
                double duration = event.path("dur").asDouble();
                while (!openEnds.isEmpty() && start >= openEnds.peek()) {
                    openEnds.pop();
                }
                if (openEnds.isEmpty()) {
                    double[] total = totals.computeIfAbsent(event.path("name").asText(), name -> new double[2]);
                    total[0]++;
                    total[1] += duration;
                }
                openEnds.push(start + duration);
            }
        }
        return totals.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[1]))
                .limit(limit)
                .map(e -> new Operator(e.getKey(), e.getValue()[0] / steps, e.getValue()[1] / steps))
                .toList();
    }
}

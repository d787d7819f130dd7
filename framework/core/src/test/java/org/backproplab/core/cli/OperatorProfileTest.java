package org.backproplab.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorProfileTest {

    /**
     * Two steps of a trace as PyTorch's profiler writes it: a TorchScript method enclosing its operators, an operator
     * calling others, and one on a second thread; an instant event, which has no duration, is not an operator's call.
     */
    @Test
    void countsOutermostOperatorsPerStepOnEachThread(@TempDir Path directory) throws Exception {
        Path trace = directory.resolve("trace.json");
        StringBuilder events = new StringBuilder("[\n");
        for (int step = 0; step < 2; step++) {
            double t = step * 100;
            events.append(event("step_update", t, 40, 1)).append(",\n")
                    .append(event("aten::linear", t + 1, 20, 1)).append(",\n")
                    .append(event("aten::addmm", t + 2, 18, 1)).append(",\n")
                    .append(event("aten::copy_", t + 3, 1, 1)).append(",\n")
                    .append(event("aten::relu_", t + 22, 3, 1)).append(",\n")
                    .append(event("aten::div", t + 5, 6, 2)).append(",\n");
        }
        events.append("{\"name\": \"aten::mm\", \"ph\": \"i\", \"ts\": 1, \"tid\": 1}\n]");
        Files.writeString(trace, events);

        assertThat(OperatorProfile.top(trace, 2, 10)).containsExactly(
                new OperatorProfile.Operator("aten::linear", 1, 20),
                new OperatorProfile.Operator("aten::div", 1, 6),
                new OperatorProfile.Operator("aten::relu_", 1, 3));
        assertThat(OperatorProfile.top(trace, 2, 1)).extracting(OperatorProfile.Operator::name)
                .containsExactly("aten::linear");
    }

    private static String event(String name, double start, double duration, int thread) {
        return "{\"name\": \"%s\", \"ph\": \"X\", \"ts\": %s, \"dur\": %s, \"tid\": %d, \"pid\": \"CPU Functions\"}"
                .formatted(name, start, duration, thread);
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lab bench step} on a small file: one table row per setting, the floors it measured (the step's, an
 * evaluation's), nothing logged.
 */
class BenchStepCommandTest {

    @Test
    void printsOneRowPerSettingAndTheFloorForEachThreadCount(@TempDir Path profiles) {
        // Evaluated at every step, so that each measured step carries an evaluation and its floor.
        LabProcess.Result result = LabProcess.lab("bench", "step", LabProcess.experiment("xor.yaml").toString(),
                "--threads", "1", "--steps", "5", "--warmup", "2", "--set", "training.log_every=1",
                "--profile", profiles.toString());
        assertThat(result.exitCode()).as(result.all()).isZero();
        // The profiled run: its trace, and the step's operators (the 2-2-1 network's two linear layers).
        Path trace = profiles.resolve("step-profile-1-threads.json");
        assertThat(trace).isNotEmptyFile();
        assertThat(result.out()).contains("PyTorch profiler, 1 thread(s), diagnostics off").contains(trace.toString())
                .containsPattern("\\| aten::linear \\| [0-9.]+ \\| [0-9.]+ \\|");
        // XOR's four test examples in one pass through the 2-2-1 network: one product per dense layer.
        assertThat(result.out()).containsPattern(
                "Evaluation floor, 1 thread\\(s\\): forward products 1x 4x2x2 1x 4x2x1 = [0-9.]+ ms per evaluation");
        assertThat(result.out().lines().filter(line -> line.startsWith("| 1 |")))
                .as("the eval floor, the eval phase against it, the step against both floors")
                .allMatch(line -> line.matches(".*\\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|$"));
        assertThat(result.out()).contains("| threads | diagnostics | prefetch | batch | forward |")
                .contains("| 1 | off | on |").contains("| 1 | on | on |").contains("| 1 | off | off |")
                .containsPattern("Floor, 1 thread\\(s\\): products \\S*2x\\S* .* ms \\+ optimizer update [0-9.]+ ms = [0-9.]+ ms per step");
        assertThat(result.out().lines().filter(line -> line.startsWith("| 1 |"))).as("one row per setting, the fastest pass")
                .hasSize(3);
        // XOR's mlp and squared error are written as TorchScript: no loss or backward phase of their own.
        assertThat(result.out().lines().filter(line -> line.startsWith("| 1 |")))
                .allMatch(line -> line.matches("\\| 1 \\| o[nf]+ \\| o[nf]+ \\| [0-9.]+ \\| [0-9.]+ \\| — \\| — \\| .*"));
        assertThat(result.out()).contains("forward is forward, loss and backward in one call");
    }

    @Test
    void refusesMoreStepsThanTheFileTrains() {
        LabProcess.Result result = LabProcess.lab("bench", "step", LabProcess.experiment("xor.yaml").toString(),
                "--threads", "1", "--steps", "5", "--warmup", "2", "--set", "training.epochs=3");
        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.all()).contains("trains 3 steps, fewer than --warmup 2 plus --steps 5");
    }
}

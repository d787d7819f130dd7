package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ./lab bench step} on a small file: one table row per setting, the floor it measured, nothing logged. */
class BenchStepCommandTest {

    @Test
    void printsOneRowPerSettingAndTheFloorForEachThreadCount() {
        LabProcess.Result result = LabProcess.lab("bench", "step", LabProcess.experiment("xor.yaml").toString(),
                "--threads", "1", "--steps", "5", "--warmup", "2");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("| threads | diagnostics | prefetch | batch | forward |")
                .contains("| 1 | off | on |").contains("| 1 | on | on |").contains("| 1 | off | off |")
                .containsPattern("Floor, 1 thread\\(s\\): products \\S*2x\\S* .* ms \\+ optimizer update [0-9.]+ ms = [0-9.]+ ms per step");
        assertThat(result.out().lines().filter(line -> line.startsWith("| 1 |"))).as("one row per setting, the fastest pass")
                .hasSize(3);
    }

    @Test
    void refusesMoreStepsThanTheFileTrains() {
        LabProcess.Result result = LabProcess.lab("bench", "step", LabProcess.experiment("xor.yaml").toString(),
                "--threads", "1", "--steps", "5", "--warmup", "2", "--set", "training.epochs=3");
        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.all()).contains("trains 3 steps, fewer than --warmup 2 plus --steps 5");
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --quiet} and {@code --verbose}, before or after the command: quiet leaves errors and the
 * final result, verbose adds Backprop Lab's debug logs. Tests have no terminal, so progress is
 * plain lines here.
 */
class ConsoleOptionsTest {

    /** {@code ./lab [before] run xor.yaml ... [after]}, 100 epochs. */
    private static LabProcess.Result runXor(List<String> before, List<String> after) {
        List<String> arguments = new ArrayList<>(before);
        arguments.addAll(List.of("run", LabProcess.experiment("xor.yaml").toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--set", "training.epochs=100", "--set", "tracking.experiment=test-console"));
        arguments.addAll(after);
        return LabProcess.lab(arguments.toArray(String[]::new));
    }

    @Test
    void normallyTheRunShowsItsProgressAndItsResult() {
        LabProcess.Result result = runXor(List.of(), List.of());
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("Training xor from").contains("MLflow run ").contains("  epoch 10/100")
                .contains("  epoch 100/100").contains("FINISHED: 100 steps").contains("Review it in MLflow: ");
        assertThat(result.err()).doesNotContain("DEBUG");
    }

    @Test
    void quietLeavesOnlyTheFinalResult() {
        for (LabProcess.Result result : new LabProcess.Result[] {runXor(List.of("--quiet"), List.of()), runXor(List.of(), List.of("-q"))}) {
            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(result.out()).startsWith("FINISHED: 100 steps").contains("Review it in MLflow: ")
                    .doesNotContain("Training").doesNotContain("epoch").doesNotContain("MLflow run ");
            assertThat(result.err()).isEmpty();
        }
    }

    @Test
    void verboseAddsTheDebugLogsOfBackpropLab() {
        LabProcess.Result result = LabProcess.lab("--verbose", "plugins", "sgd");
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.err()).contains("DEBUG PluginLoader: loaded plugin org.backproplab.plugins.optimizers.OptimizersPlugin");

        LabProcess.Result after = LabProcess.lab("plugins", "sgd");
        assertThat(after.err()).as("the level is restored after the command").doesNotContain("DEBUG");
    }

    @Test
    void quietAndVerboseTogetherIsAUsageError() {
        LabProcess.Result result = LabProcess.lab("--quiet", "plugins", "--verbose");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: --quiet and --verbose cannot be used together");
    }
}

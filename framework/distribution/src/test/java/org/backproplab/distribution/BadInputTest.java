package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class of bad input ends with its message, exit code 2, no stack trace, and nothing in
 * MLflow: not a run, not even the experiment.
 */
class BadInputTest {

    @TempDir
    Path folder;

    private LabProcess.Result runFile(String experimentName, String yaml) throws IOException {
        Path file = folder.resolve("bad.yaml");
        Files.writeString(file, yaml.replace("EXPERIMENT", experimentName));
        return LabProcess.lab("run", file.toString(), "--tracking-uri", SharedMlflowServer.uri());
    }

    private static void assertRejectedWithoutTrace(LabProcess.Result result, String experimentName) {
        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.all()).doesNotContain("\tat ").doesNotContain("Exception");
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            assertThat(tracker.findExperiment(experimentName)).as("experiment %s in MLflow", experimentName).isEmpty();
        }
    }

    private static final String VALID_TAIL = """
            dataset:   { type: xor }
            model:     { type: mlp, hidden: [2], activation: sigmoid }
            loss:      { type: mse }
            training:  { epochs: 2, batch_size: 4 }
            tracking:  { experiment: EXPERIMENT }
            """;

    @Test
    void everyProblemOfAFileIsListedAtOnceWithLineAndPath() throws IOException {
        LabProcess.Result result = runFile("bad-many", """
                name: bad-many
                seed: 1
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2], activation: sigmoidd }
                loss:      { type: mse }
                optimizer: { type: sgd, lr: -0.5, momentun: 0.9 }
                training:  { epochs: 2, batch_size: 4 }
                trainig:   {}
                tracking:  { experiment: bad-many }
                """);
        assertRejectedWithoutTrace(result, "bad-many");
        assertThat(result.err())
                .contains("bad.yaml:4:").contains("model.activation").contains("did you mean 'sigmoid'")
                .contains("bad.yaml:6:").contains("optimizer.lr: must be greater than 0, got -0.5")
                .contains("optimizer.momentun").contains("did you mean 'momentum'")
                .contains("bad.yaml:8:").contains("did you mean 'training'");
    }

    @Test
    void unknownTypeListsTheKnownOnesAndTheNearest() throws IOException {
        LabProcess.Result result = runFile("bad-type", "name: bad-type\noptimizer: { type: adamm }\n" + VALID_TAIL);
        assertRejectedWithoutTrace(result, "bad-type");
        assertThat(result.err()).contains("optimizer.type").contains("'adamm'").contains("did you mean 'adam'").contains("sgd");
    }

    @Test
    void yamlSyntaxErrorsPointAtTheirLine() throws IOException {
        LabProcess.Result result = runFile("bad-syntax", "name: bad-syntax\noptimizer: { type: sgd\n" + VALID_TAIL);
        assertRejectedWithoutTrace(result, "bad-syntax");
        assertThat(result.err()).containsPattern("bad\\.yaml:\\d+:\\d+: YAML syntax error");
    }

    @Test
    void duplicateKeysAreAnError() throws IOException {
        LabProcess.Result result = runFile("bad-duplicate", "name: bad-duplicate\noptimizer: { type: sgd }\noptimizer: { type: adam }\n" + VALID_TAIL);
        assertRejectedWithoutTrace(result, "bad-duplicate");
        assertThat(result.err()).contains("bad.yaml:3:").containsIgnoringCase("duplicate");
    }

    @Test
    void aMissingFileSaysSoPlainly() {
        LabProcess.Result result = LabProcess.lab("run", folder.resolve("nope.yaml").toString(), "--tracking-uri", SharedMlflowServer.uri());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nope.yaml").contains("no such file").doesNotContain("\tat ");
    }

    @Test
    void missingDataIsReportedBeforeAnythingIsLogged() throws IOException {
        LabProcess.Result result = runFile("bad-data", """
                name: bad-data
                dataset:   { type: fashion-mnist, directory: /nonexistent/images }
                model:     { type: mlp, hidden: [8] }
                loss:      { type: softmax_cross_entropy }
                optimizer: { type: adam }
                tracking:  { experiment: EXPERIMENT }
                """);
        assertRejectedWithoutTrace(result, "bad-data");
        assertThat(result.err()).contains("/nonexistent/images does not exist");
    }

    @Test
    void aLossThatDoesNotFitTheTaskIsBadInput() throws IOException {
        LabProcess.Result result = runFile("bad-loss", """
                name: bad-loss
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2] }
                loss:      { type: softmax_cross_entropy }
                optimizer: { type: sgd }
                tracking:  { experiment: EXPERIMENT }
                """);
        assertRejectedWithoutTrace(result, "bad-loss");
        assertThat(result.err()).contains("softmax_cross_entropy needs a multiclass classification dataset");
    }

    @Test
    void aMissingGpuIsReportedClearly() throws IOException {
        LabProcess.Result result = runFile("bad-gpu", "name: bad-gpu\noptimizer: { type: sgd }\n"
                + VALID_TAIL.replace("batch_size: 4", "batch_size: 4, device: 'gpu:3'"));
        assertRejectedWithoutTrace(result, "bad-gpu");
        assertThat(result.err()).contains("gpu:3 was requested");
    }

    @Test
    void anUnreachableTrackingServerIsReportedBeforeTraining() throws IOException {
        Path file = folder.resolve("ok.yaml");
        Files.writeString(file, "name: unreachable\noptimizer: { type: sgd }\n" + VALID_TAIL.replace("EXPERIMENT", "unreachable"));
        LabProcess.Result result = LabProcess.lab("run", file.toString(), "--tracking-uri", "http://127.0.0.1:9");
        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(result.err()).contains("http://127.0.0.1:9").contains("unreachable").doesNotContain("\tat ");
        assertThat(result.out()).doesNotContain("Training");
    }
}

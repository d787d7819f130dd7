package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lab validate FILE...}: every problem of every file, and a non-zero exit if there is any. */
class ValidateCommandTest {

    @TempDir
    Path folder;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(folder.resolve(name), yaml);
    }

    @Test
    void everyProblemOfEveryFileIsReportedAndAnyMakesTheExitCodeTwo() throws IOException {
        Path first = write("first.yaml", """
                name: first
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2], activation: sigmoidd }
                loss:      { type: mse }
                optimizer: { type: sgd, lr: -1 }
                """);
        Path good = LabProcess.experiment("xor.yaml");
        Path second = write("second.yaml", """
                name: second
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2] }
                loss:      { type: msee }
                optimizer: { type: sgd }
                training:  { epochs: 0 }
                """);

        LabProcess.Result result = LabProcess.lab("validate", first.toString(), good.toString(), second.toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.out()).isEqualTo(good + ": OK\n");
        assertThat(result.err())
                .contains("2 problems in " + first + ":")
                .contains(first + ":3:").contains("model.activation").contains("did you mean 'sigmoid'")
                .contains(first + ":5:").contains("optimizer.lr: must be greater than 0, got -1")
                .contains("2 problems in " + second + ":")
                .contains("loss.type: unknown loss 'msee'; did you mean 'mse'?")
                .contains("training.epochs: must be greater than 0, got 0")
                .endsWith("2 of 3 files have problems\n")
                .doesNotContain("\tat ");
        assertThat(result.err().indexOf(first.toString())).isLessThan(result.err().indexOf(second.toString()));
    }

    @Test
    void goodFilesPassAndQuietPrintsNothingForThem() {
        String xor = LabProcess.experiment("xor.yaml").toString();
        String linear = LabProcess.experiment("linear-regression.yaml").toString();

        LabProcess.Result result = LabProcess.lab("validate", xor, linear);
        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).isEqualTo(xor + ": OK\n" + linear + ": OK\n");

        LabProcess.Result quiet = LabProcess.lab("validate", "--quiet", xor, linear);
        assertThat(quiet.exitCode()).as(quiet.all()).isZero();
        assertThat(quiet.all()).isEmpty();
    }

    @Test
    void aSweepIsCheckedTrialByTrialAsRunWouldCheckIt() throws IOException {
        String sweep = """
                name: swept
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2] }
                loss:      { type: mse }
                optimizer: { type: sgd }
                sweep:
                  method: grid
                  parameters:
                    optimizer.lr: [0.1, LR]
                """;
        Path good = write("good-sweep.yaml", sweep.replace("LR", "0.5"));
        Path bad = write("bad-sweep.yaml", sweep.replace("LR", "-1"));

        LabProcess.Result result = LabProcess.lab("validate", good.toString(), bad.toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.out()).isEqualTo(good + ": OK, a sweep of 2 trials\n");
        assertThat(result.err()).contains(bad + ":9:").contains("optimizer.lr: must be greater than 0, got -1")
                .contains("trial 2");
    }

    @Test
    void overridesApplyToEveryFile() {
        LabProcess.Result result = LabProcess.lab("validate", LabProcess.experiment("xor.yaml").toString(),
                LabProcess.experiment("linear-regression.yaml").toString(), "--set", "optimizer.lr=0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("xor.yaml").contains("linear-regression.yaml").contains("2 of 2 files have problems");
    }
}

package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the file: syntax errors, files that cannot be read, and YAML built to hurt. */
class YamlSafetyTest {

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.catalog());

    @Test
    void syntaxErrorPointsAtItsLine() {
        assertThat(messages("experiments/x.yaml", """
                name: xor
                seed: 42
                model: type: net
                """)).containsExactly("experiments/x.yaml:3:12: YAML syntax error: mapping values are not allowed here");
    }

    @Test
    void syntaxErrorsKeepSnakeYamlsContext() {
        assertThat(messages("x.yaml", "name: xor\ndataset: {type: points\nmodel: {type: net}\n")).containsExactly(
                "x.yaml:3:6: YAML syntax error: while parsing a flow mapping, expected ',' or '}', but got :");
        assertThat(messages("x.yaml", "name: *nope\n"))
                .containsExactly("x.yaml:1:7: YAML syntax error: found undefined alias nope");
    }

    @Test
    void duplicateKeysAreReportedWithBothLines() {
        String yaml = ConfigProblemsTest.valid().replace("lr: 0.5", "lr: 0.5, lr: 0.1") + "optimizer: { type: adam }\n";

        assertThat(messages("x.yaml", yaml)).containsExactly(
                "x.yaml:7:34: optimizer.lr: duplicate key; first given at line 7",
                "x.yaml:10:1: optimizer: duplicate key; first given at line 7");
    }

    @Test
    void duplicateKeysDoNotHideTheFilesOtherProblems() {
        String yaml = ConfigProblemsTest.valid().replace("seed: 42", "seed: 42\nseed: 43").replace("lr: 0.5", "lr: 0");

        assertThat(messages("x.yaml", yaml)).containsExactly(
                "x.yaml:3:1: seed: duplicate key; first given at line 2",
                "x.yaml:8:29: optimizer.lr: must be greater than 0, got 0");
    }

    @Test
    void aliasBombIsRefusedAtTheAliasOverTheLimit() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char level = 'b'; level <= 'g'; level++) {
            String previous = String.valueOf((char) (level - 1));
            yaml.append(level).append(": &").append(level).append(" [")
                    .append(IntStream.range(0, 9).mapToObj(i -> "*" + previous).collect(Collectors.joining(", ")))
                    .append("]\n");
        }

        assertThat(messages("bomb.yaml", yaml.toString())).containsExactly(
                "bomb.yaml:7:28: more than 50 aliases of lists or mappings; refused as a possible alias bomb");
    }

    @Test
    void aliasBombWithinTheAliasLimitIsRefusedByItsSize() {
        // 25 levels of two aliases each: 50 aliases, 2^25 values.
        StringBuilder yaml = new StringBuilder("l0: &l0 [x]\n");
        for (int level = 1; level <= 25; level++) {
            yaml.append("l").append(level).append(": &l").append(level)
                    .append(" [*l").append(level - 1).append(", *l").append(level - 1).append("]\n");
        }

        List<String> messages = messages("bomb.yaml", yaml.toString());

        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).startsWith("bomb.yaml:")
                .endsWith("the document expands to more than 100000 values through aliases; refused as a possible alias bomb");
    }

    @Test
    void aliasesWithinTheLimitsAreFine() throws ConfigException {
        Experiment experiment = loader.load("x.yaml", """
                name: aliases
                dataset: {type: points}
                model: &shared {type: net, hidden: &widths [3, 3]}
                loss: {type: squared}
                optimizer: {type: sgd}
                sweep: {hidden: *widths, model: *shared}
                """, List.of());

        assertThat(experiment.flattenedParameters()).containsEntry("model.hidden", "[3, 3]");
        assertThat(experiment.sweep()).containsEntry("hidden", List.of(3L, 3L));
    }

    @Test
    void recursiveAliasIsRefused() {
        assertThat(messages("x.yaml", "name: xor\nloop: &loop [1, *loop]\n")).containsExactly(
                "x.yaml:2:7: loop[1]: an alias refers to a list or mapping that contains it; recursive values are not allowed");
    }

    @Test
    void nestingDeeperThan32LevelsIsRefused() {
        String yaml = "name: deep\na: " + "[".repeat(40) + "]".repeat(40) + "\n";

        assertThat(messages("deep.yaml", yaml))
                .containsExactly("deep.yaml:2:35: nested deeper than 32 levels; experiment files are refused beyond that");
    }

    @Test
    void extremeNestingIsRefusedWithoutExhaustingTheStack() {
        String yaml = "a: " + "[".repeat(300_000) + "]".repeat(300_000) + "\n";

        assertThat(messages("deep.yaml", yaml))
                .containsExactly("deep.yaml:1:35: nested deeper than 32 levels; experiment files are refused beyond that");
    }

    @Test
    void nesting32LevelsDeepIsAllowed() {
        // The root mapping and 31 lists: the YAML is fine, so the only problems are about its meaning.
        String yaml = "a: " + "[".repeat(31) + "]".repeat(31) + "\n";

        assertThat(messages("deep.yaml", yaml)).allSatisfy(message -> assertThat(message).doesNotContain("nested"))
                .contains("deep.yaml:1:1: name: missing (required)");
    }

    @Test
    void oversizedTextIsRefused() {
        String yaml = ConfigProblemsTest.valid() + "# " + "x".repeat(YamlTreeReader.MAX_CODE_POINTS) + "\n";

        assertThat(messages("big.yaml", yaml))
                .containsExactly("big.yaml is larger than 1 MiB; experiment files are limited to 1 MiB");
    }

    @Test
    void oversizedFileIsRefusedWithoutParsingIt(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("big.yaml");
        Files.writeString(file, ConfigProblemsTest.valid() + "# " + "x".repeat(ExperimentLoader.MAX_FILE_BYTES) + "\n");

        assertThat(messages(file)).containsExactly(file + " is larger than 1 MiB; experiment files are limited to 1 MiB");
    }

    @Test
    void missingFileIsASingleProblemWithoutPosition() {
        ConfigException failure = failure(Path.of("experiments/nope.yaml"));

        assertThat(failure.problems()).containsExactly(
                new ConfigProblem(null, "", "cannot read experiments/nope.yaml: no such file"));
        assertThat(failure.getMessage()).isEqualTo("1 problem in experiments/nope.yaml:" + System.lineSeparator()
                + "  cannot read experiments/nope.yaml: no such file");
    }

    @Test
    void directoryAndNonUtf8FilesCannotBeRead(@TempDir Path directory) throws IOException {
        Path binary = Files.write(directory.resolve("binary.yaml"), new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});

        assertThat(messages(directory)).containsExactly("cannot read " + directory + ": it is a directory");
        assertThat(messages(binary)).containsExactly("cannot read " + binary + ": it is not UTF-8 text");
    }

    @Test
    void controlCharacterIsASyntaxErrorAtItsPosition() {
        assertThat(messages("x.yaml", "name: xor\nseed: 4\u00012\n"))
                .containsExactly("x.yaml:2:8: YAML syntax error: character U+0001 is not allowed");
    }

    @Test
    void emptyFileIsAClearProblem() {
        assertThat(messages("empty.yaml", "")).containsExactly(
                "empty.yaml:1:1: the file is empty; an experiment needs at least name, dataset, model, loss and optimizer");
        assertThat(messages("comments.yaml", "# nothing yet\n")).containsExactly("comments.yaml:1:1: the file is empty; "
                + "an experiment needs at least name, dataset, model, loss and optimizer");
    }

    @Test
    void rootThatIsNotAMappingIsAClearProblem() {
        assertThat(messages("list.yaml", "- name\n- xor\n")).containsExactly(
                "list.yaml:1:1: the document must be a mapping with keys such as name, dataset and model, got a list");
        assertThat(messages("text.yaml", "just some text\n")).containsExactly("text.yaml:1:1: the document must be a "
                + "mapping with keys such as name, dataset and model, got 'just some text'");
    }

    @Test
    void moreThanOneDocumentIsRefused() {
        List<String> messages = messages("two.yaml", ConfigProblemsTest.valid() + "---\nname: other\n");

        assertThat(messages).containsExactly(
                "two.yaml:10:1: YAML syntax error: expected a single document in the stream, but found another document");
    }

    @Test
    void tagsThatWouldNameJavaOrPythonTypesAreRefused() {
        assertThat(messages("x.yaml", "name: !!python/object:os.system ls\n")).containsExactly(
                "x.yaml:1:7: name: unsupported tag !!python/object:os.system; only plain YAML values are allowed");
        assertThat(messages("x.yaml", "name: !java.io.File [x]\n")).containsExactly(
                "x.yaml:1:7: name: unsupported tag !java.io.File; only plain YAML values are allowed");
    }

    @Test
    void standardTagsAreHonoured() throws ConfigException {
        Experiment experiment = loader.load("x.yaml",
                ConfigProblemsTest.valid().replace("name: xor", "name: !!str 2024").replace("lr: 0.5", "lr: !!float 1"),
                List.of());

        assertThat(experiment.name()).isEqualTo("2024");
        assertThat(experiment.optimizer().parameters()).isEqualTo(new TestComponents.Sgd(1.0, 0.0, 0.0, null));
        assertThat(messages("x.yaml", "seed: !!int twelve\n"))
                .containsExactly("x.yaml:1:7: seed: 'twelve' is not a valid !!int");
    }

    private List<String> messages(String fileName, String yaml) {
        try {
            loader.load(fileName, yaml, List.of());
        } catch (ConfigException e) {
            return ConfigProblemsTest.messages(e);
        }
        return fail("expected problems");
    }

    private List<String> messages(Path file) {
        return ConfigProblemsTest.messages(failure(file));
    }

    private ConfigException failure(Path file) {
        try {
            loader.load(file, List.of());
        } catch (ConfigException e) {
            return e;
        }
        return fail("expected problems with %s", file);
    }
}

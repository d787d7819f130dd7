package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * experiments/experiment.schema.json is what {@code ./lab schema} generates from the built-in
 * plugins (so it cannot go stale), every shipped experiment points to it and passes it, and it
 * rejects what {@code ./lab validate} rejects.
 */
class ExperimentSchemaFileTest {

    private static final Path COMMITTED = LabProcess.experiment("experiment.schema.json");
    private static final String SCHEMA_COMMENT = "# yaml-language-server: $schema=./experiment.schema.json";

    @TempDir
    Path folder;

    @Test
    void theCommittedSchemaIsWhatLabSchemaGenerates() throws IOException {
        LabProcess.Result printed = LabProcess.lab("schema");
        assertThat(printed.exitCode()).as(printed.all()).isZero();
        assertThat(printed.out()).as("regenerate it with ./lab schema -o experiments/experiment.schema.json")
                .isEqualTo(Files.readString(COMMITTED));

        Path written = folder.resolve("sub/experiment.schema.json");
        LabProcess.Result toFile = LabProcess.lab("schema", "-o", written.toString());
        assertThat(toFile.exitCode()).as(toFile.all()).isZero();
        assertThat(toFile.out()).isEqualTo("Wrote the experiment schema to " + written + "\n");
        assertThat(Files.readString(written)).isEqualTo(printed.out());
    }

    @Test
    void everyShippedExperimentPointsToTheSchemaAndPassesIt() throws IOException {
        JsonSchema schema = committedSchema();
        List<Path> experiments;
        try (Stream<Path> files = Files.list(COMMITTED.getParent())) {
            experiments = files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(experiments).hasSizeGreaterThanOrEqualTo(3);
        for (Path experiment : experiments) {
            String text = Files.readString(experiment, StandardCharsets.UTF_8);
            assertThat(text.lines().findFirst()).as(experiment.getFileName().toString()).contains(SCHEMA_COMMENT);
            assertThat(schema.validate(yaml(text))).as(experiment.getFileName().toString()).isEmpty();
        }
    }

    @Test
    void theSchemaRejectsWhatValidateRejects() throws IOException {
        JsonSchema schema = committedSchema();
        String valid = """
                name: ok
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2], activation: sigmoid, output_activation: sigmoid }
                loss:      { type: mse, reduction: sum }
                optimizer: { type: sgd, lr: 0.5 }
                training:  { epochs: 10, batch_size: 4, device: cpu }
                sweep:
                  method: random
                  trials: 4
                  parameters:
                    optimizer.lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0 }
                    model.activation: [sigmoid, relu]
                    optimizer.momentum: { values: [0.0, 0.9], when: { optimizer.type: sgd } }
                objective: { metric: eval/accuracy, mode: max }
                """;
        assertThat(schema.validate(yaml(valid))).isEmpty();

        assertRejected(schema, valid.replace("lr: 0.5", "lr: -0.5"), "lr");
        assertRejected(schema, valid.replace("lr: 0.5", "lr: 0.5, momentun: 0.9"), "momentun");
        assertRejected(schema, valid.replace("activation: sigmoid", "activation: sigmoidd"), "activation");
        assertRejected(schema, valid.replace("type: sgd", "type: adamm"), "type");
        assertRejected(schema, valid.replace("hidden: [2]", "hidden: [0]"), "hidden");
        assertRejected(schema, valid.replace("device: cpu", "device: tpu"), "device");
        assertRejected(schema, valid.replace("batch_size: 4", "batch_size: four"), "batch_size");
        assertRejected(schema, valid.replace("training:", "trainig:"), "trainig");
        assertRejected(schema, valid.replace("name: ok\n", ""), "name");
        assertRejected(schema, valid.replace("{ type: xor }", "{ }"), "type");
        // sweep: and objective: are typed too, as an editor should flag them.
        assertRejected(schema, valid.replace("method: random", "method: gird"), "method");
        assertRejected(schema, valid.replace("trials: 4", "trials: 0"), "trials");
        assertRejected(schema, valid.replace("distribution: log_uniform", "distribution: normal"), "distribution");
        assertRejected(schema, valid.replace("parameters:", "parameter:"), "parameter");
        assertRejected(schema, valid.replace("model.activation: [sigmoid, relu]", "model.activation: []"), "model.activation");
        assertRejected(schema, valid.replace("mode: max", "mode: maximum"), "mode");
        assertRejected(schema, valid.replace("{ metric: eval/accuracy, mode: max }", "{ metric: eval/accuracy }"), "mode");
    }

    private static void assertRejected(JsonSchema schema, String yaml, String expectedInMessage) {
        Set<ValidationMessage> problems = schema.validate(yaml(yaml));
        assertThat(problems).as(yaml).isNotEmpty();
        assertThat(problems.toString()).as(yaml).contains(expectedInMessage);
    }

    private static JsonSchema committedSchema() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(COMMITTED.toFile());
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    }

    /** YAML as ./lab reads it (YAML 1.2 core schema, so 1e-3 is a number), as a JSON tree. */
    private static JsonNode yaml(String text) {
        Object document = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromString(text);
        return new ObjectMapper().valueToTree(document);
    }
}

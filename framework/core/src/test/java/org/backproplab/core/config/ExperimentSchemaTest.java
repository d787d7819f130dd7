package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The generated schema says what the binder checks: types, defaults, enums, bounds and required keys. */
class ExperimentSchemaTest {

    private final JsonNode schema = ExperimentSchema.generate(TestComponents.catalog());

    private JsonNode definition(String name) {
        return schema.get("$defs").get(name);
    }

    private JsonNode parameter(String definition, String name) {
        return definition(definition).get("properties").get(name);
    }

    @Test
    void theDocumentIsADraft2020MappingOfKnownKeysOnly() {
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("type").asText()).isEqualTo("object");
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.get("required")).extracting(JsonNode::asText)
                .containsExactly("name", "dataset", "model", "loss", "optimizer");
        assertThat(schema.get("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrderElementsOf(ExperimentBinder.TOP_LEVEL_KEYS);
        assertThat(schema.get("properties").get("name").get("pattern").asText()).isEqualTo("^(?:[A-Za-z0-9][A-Za-z0-9_.-]*)$");
        assertThat(schema.get("properties").get("seed").get("default").asLong()).isEqualTo(42);
    }

    @Test
    void eachKindIsOneOfItsTypesDiscriminatedByType() {
        JsonNode datasets = definition("dataset");
        assertThat(schema.get("properties").get("dataset").get("$ref").asText()).isEqualTo("#/$defs/dataset");
        assertThat(datasets.get("oneOf")).extracting(branch -> branch.get("$ref").asText())
                .containsExactly("#/$defs/dataset.csv", "#/$defs/dataset.points");
        assertThat(datasets.get("properties").get("type").get("enum")).extracting(JsonNode::asText).containsExactly("csv", "points");
        JsonNode points = definition("dataset.points");
        assertThat(points.get("properties").get("type").get("const").asText()).isEqualTo("points");
        assertThat(points.get("description").asText()).isEqualTo("test component points");
        assertThat(points.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(points.get("required")).extracting(JsonNode::asText).containsExactly("type");
        assertThat(definition("dataset.csv").get("required")).extracting(JsonNode::asText).containsExactly("type", "path");
    }

    @Test
    void parametersCarryTheirJsonTypeDefaultBoundsAndDescription() {
        JsonNode count = parameter("dataset.points", "count");
        assertThat(count.get("type").asText()).isEqualTo("integer");
        assertThat(count.get("default").asLong()).isEqualTo(100);
        assertThat(count.get("exclusiveMinimum").asInt()).isZero();
        assertThat(count.get("description").asText()).isEqualTo("number of points");

        JsonNode momentum = parameter("optimizer.sgd", "momentum");
        assertThat(momentum.get("type").asText()).isEqualTo("number");
        assertThat(momentum.get("minimum").decimalValue()).isEqualByComparingTo("0");
        assertThat(momentum.get("exclusiveMaximum").decimalValue()).isEqualByComparingTo("1");
        assertThat(momentum.has("maximum")).isFalse();

        assertThat(parameter("optimizer.adam", "epsilon").get("default").asDouble()).isEqualTo(1e-8);
        assertThat(parameter("optimizer.adam", "warmup_steps").get("minimum").asInt()).isZero();
        assertThat(parameter("dataset.csv", "header").get("type").asText()).isEqualTo("boolean");
        assertThat(parameter("dataset.csv", "header").get("default").asBoolean(false)).isTrue();
    }

    @Test
    void optionalParametersAdmitNullAndListsAndEnumsAreSpelledOut() {
        assertThat(parameter("optimizer.sgd", "clip_grad").get("type")).extracting(JsonNode::asText)
                .containsExactly("number", "null");
        assertThat(parameter("optimizer.sgd", "clip_grad").has("default")).isFalse();

        JsonNode hidden = parameter("model.net", "hidden");
        assertThat(hidden.get("type").asText()).isEqualTo("array");
        assertThat(hidden.get("items").get("type").asText()).isEqualTo("integer");
        assertThat(hidden.get("items").get("exclusiveMinimum").asInt()).isZero();
        assertThat(hidden.get("default")).extracting(JsonNode::asLong).containsExactly(2L);

        JsonNode activation = parameter("model.net", "activation");
        assertThat(activation.get("enum")).extracting(JsonNode::asText).containsExactly("sigmoid", "tanh", "relu", "leaky_relu");
        assertThat(activation.get("default").asText()).isEqualTo("relu");

        assertThat(definition("model.linear").get("properties").size()).as("only type").isEqualTo(1);
    }

    @Test
    void theSectionsComeFromTheirRecordsAndSweepAndObjectiveFromTheSweepReader() {
        JsonNode training = schema.get("properties").get("training");
        assertThat(training.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(training.get("properties").get("epochs").get("default").asInt()).isEqualTo(1);
        assertThat(training.get("properties").get("device").get("pattern").asText()).isEqualTo("^(?:auto|cpu|gpu(:\\d+)?)$");
        assertThat(training.get("properties").get("threads").get("type")).extracting(JsonNode::asText)
                .containsExactly("integer", "null");
        assertThat(schema.get("properties").get("diagnostics").get("properties").get("saturation_threshold")
                .get("maximum").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(schema.get("properties").get("tracking").get("properties").get("run_name").get("type"))
                .extracting(JsonNode::asText).containsExactly("string", "null");
        JsonNode sweep = schema.get("properties").get("sweep");
        assertThat(sweep.get("type")).extracting(JsonNode::asText).containsExactly("object", "null");
        assertThat(sweep.get("additionalProperties").asBoolean(true)).isFalse();
        // One vocabulary: what the reader accepts is what the schema lists.
        assertThat(sweep.get("properties").fieldNames()).toIterable()
                .containsExactlyElementsOf(SweepDefinitionReader.SWEEP_KEYS);
        assertThat(sweep.get("properties").get("method").get("enum")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(SweepDefinitionReader.METHODS);
        assertThat(schema.get("$defs").get("sweep.domain").get("anyOf").get(2).get("properties").get("distribution")
                .get("enum")).extracting(JsonNode::asText).containsExactlyElementsOf(SweepDefinitionReader.DISTRIBUTIONS);
        JsonNode objective = schema.get("properties").get("objective");
        assertThat(objective.get("properties").get("mode").get("enum")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(SweepDefinitionReader.MODES);
        assertThat(objective.get("required")).extracting(JsonNode::asText).containsExactly("metric", "mode");
    }

    @Test
    void theJsonIsStableTwoSpaceIndentedAndEndsWithANewline() throws Exception {
        String json = ExperimentSchema.json(TestComponents.catalog());
        assertThat(json).isEqualTo(ExperimentSchema.json(TestComponents.catalog()))
                .startsWith("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n")
                .endsWith("}\n")
                .doesNotContain("\r");
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("$defs").fieldNames()).toIterable().startsWith("dataset", "dataset.csv", "dataset.points", "model");
        assertThat(parsed.get("$defs").get("optimizer.adam").get("properties").get("epsilon").get("default").asDouble())
                .isEqualTo(1e-8);
    }
}

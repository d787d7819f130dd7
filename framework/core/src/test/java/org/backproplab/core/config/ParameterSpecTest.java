package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.util.List;
import org.backproplab.spi.NoParameters;
import org.junit.jupiter.api.Test;

class ParameterSpecTest {

    @Test
    void describesEachParameterInDeclarationOrder() {
        List<ParameterSpec> specs = ParameterSpec.of(TestComponents.Sgd.class);

        assertThat(specs).extracting(ParameterSpec::name)
                .containsExactly("lr", "momentum", "weight_decay", "clip_grad");
        assertThat(specs.get(0)).isEqualTo(
                new ParameterSpec("lr", double.class, "learning rate", "0.01", false, List.of("> 0")));
        assertThat(specs.get(1).constraints()).containsExactly(">= 0", "< 1");
        assertThat(specs.get(3)).isEqualTo(
                new ParameterSpec("clip_grad", Double.class, "gradient clipping", null, false, List.of("> 0")));
        assertThat(specs.get(3).optional()).isTrue();
        assertThat(specs.get(0).optional()).isFalse();
    }

    @Test
    void requiredParameterHasNoDefault() {
        ParameterSpec path = ParameterSpec.of(TestComponents.Csv.class).get(0);

        assertThat(path.name()).isEqualTo("path");
        assertThat(path.required()).isTrue();
        assertThat(path.defaultValue()).isNull();
        assertThat(path.optional()).isFalse();
        assertThat(path.constraints()).isEmpty();
    }

    @Test
    void listsKeepTheirElementTypeAndElementConstraints() {
        ParameterSpec hidden = ParameterSpec.of(TestComponents.Net.class).get(0);

        assertThat(hidden.defaultValue()).isEqualTo("[2]");
        assertThat(hidden.type()).isInstanceOfSatisfying(ParameterizedType.class,
                type -> assertThat(type.getActualTypeArguments()).containsExactly(Integer.class));
        assertThat(hidden.constraints()).containsExactly("each > 0");
    }

    @Test
    void settingsRecordsDescribeThemselves() {
        List<ParameterSpec> training = ParameterSpec.of(TrainingSettings.class);

        assertThat(training).extracting(ParameterSpec::name)
                .containsExactly("epochs", "batch_size", "log_every", "shuffle", "device", "threads", "early_stopping",
                        "clip_grad_norm", "clip_grad_value");
        assertThat(training).extracting(ParameterSpec::defaultValue)
                .containsExactly("1", "32", "50", "true", "auto", null, null, null, null);
        assertThat(training.get(4).constraints()).containsExactly("matches auto|cpu|gpu(:\\d+)?");
        assertThat(training.get(5).constraints()).containsExactly("> 0");
        assertThat(ParameterSpec.of(TrackingSettings.class)).extracting(ParameterSpec::name)
                .containsExactly("experiment", "uri", "run_name");
        assertThat(ParameterSpec.of(TestComponents.Adam.class).get(2).constraints()).containsExactly(">= 0");
    }

    @Test
    void recordWithoutParametersHasNone() {
        assertThat(ParameterSpec.of(NoParameters.class)).isEmpty();
    }

    @Test
    void snakeCaseOfComponentNames() {
        assertThat(SnakeCase.of("lr")).isEqualTo("lr");
        assertThat(SnakeCase.of("batchSize")).isEqualTo("batch_size");
        assertThat(SnakeCase.of("leakyReluSlope")).isEqualTo("leaky_relu_slope");
        assertThat(SnakeCase.of("maxURLLength")).isEqualTo("max_url_length");
        assertThat(SnakeCase.of("layer2Width")).isEqualTo("layer2_width");
    }
}

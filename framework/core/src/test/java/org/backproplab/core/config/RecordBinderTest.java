package org.backproplab.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.backproplab.spi.Param;
import org.junit.jupiter.api.Test;

/** Parameter records that a plugin got wrong: reported as problems that blame the plugin, never a crash. */
class RecordBinderTest {

    record BadDefault(@Param(value = "learning rate", defaultValue = "fast") double lr) {}

    record OptionalPrimitive(@Param(value = "steps", defaultValue = Param.NONE) int steps) {}

    record UnsupportedType(@Param(value = "options", defaultValue = Param.NONE) Map<String, String> options) {}

    record CheckedInConstructor(@Param("a file") String path) {
        CheckedInConstructor {
            if (path != null && path.isBlank()) {
                throw new IllegalArgumentException("path must not be blank");
            }
        }
    }

    private final ProblemCollector problems = new ProblemCollector();
    private final SourcePosition block = new SourcePosition("x.yaml", 3, 12);

    @Test
    void invalidDefaultBlamesThePlugin() {
        assertThat(new RecordBinder(problems).bind(BadDefault.class, new ConfigMap(block), "optimizer", "unknown"))
                .isNull();

        assertThat(messages()).containsExactly("x.yaml:3:12: optimizer.lr: the default 'fast' declared by "
                + BadDefault.class.getName() + " is invalid (a bug in the plugin): must be a number, got 'fast'");
    }

    @Test
    void optionalPrimitiveBlamesThePlugin() {
        assertThat(new RecordBinder(problems).bind(OptionalPrimitive.class, new ConfigMap(block), "model", "unknown"))
                .isNull();

        assertThat(messages()).containsExactly(
                "x.yaml:3:12: model.steps: the plugin makes this int parameter optional without a default (a bug in the plugin)");
    }

    @Test
    void unsupportedTypeBlamesThePlugin() {
        ConfigMap map = new ConfigMap(block);
        map.put("options", new SourcePosition("x.yaml", 4, 3), new ConfigMap(new SourcePosition("x.yaml", 4, 12)));

        assertThat(new RecordBinder(problems).bind(UnsupportedType.class, map, "model", "unknown")).isNull();

        assertThat(messages()).containsExactly("x.yaml:4:12: model.options: the component declares an unsupported "
                + "parameter type java.util.Map<java.lang.String, java.lang.String> (a bug in the plugin)");
    }

    @Test
    void exceptionOfACompactConstructorIsAProblemOfTheBlock() {
        ConfigMap map = new ConfigMap(block);
        SourcePosition value = new SourcePosition("x.yaml", 3, 30);
        map.put("path", value, new ConfigScalar(value, ConfigScalar.Kind.STRING, " ", " "));

        assertThat(new RecordBinder(problems).bind(CheckedInConstructor.class, map, "dataset", "unknown")).isNull();

        assertThat(messages()).containsExactly("x.yaml:3:12: dataset: path must not be blank");
    }

    @Test
    void validBlockBindsWithoutProblems() {
        ConfigMap map = new ConfigMap(block);
        SourcePosition value = new SourcePosition("x.yaml", 3, 30);
        map.put("path", value, new ConfigScalar(value, ConfigScalar.Kind.STRING, "data.csv", "data.csv"));

        assertThat(new RecordBinder(problems).bind(CheckedInConstructor.class, map, "dataset", "unknown"))
                .isEqualTo(new CheckedInConstructor("data.csv"));
        assertThat(problems.isEmpty()).isTrue();
    }

    private List<String> messages() {
        return problems.inReadingOrder(List.of("x.yaml")).stream().map(ConfigProblem::toString).toList();
    }
}

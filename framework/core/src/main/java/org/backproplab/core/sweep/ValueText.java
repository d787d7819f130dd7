package org.backproplab.core.sweep;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** How a swept value is written: as YAML in a {@code --set} override, and as a short label in a trial's name. */
final class ValueText {

    private static final Dump FLOW_YAML = new Dump(DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.FLOW)
            // The schema the loader reads with, so that a string such as "1e-3" or "true" comes back a string.
            .setSchema(new CoreSchema())
            .setWidth(Integer.MAX_VALUE)
            .build());

    private ValueText() {}

    /** {@code path=value} with the value as one line of YAML: {@code optimizer.lr=0.01}, {@code model.hidden=[64, 64]}. */
    static String override(String path, Object value) {
        return path + "=" + yaml(value);
    }

    static String yaml(Object value) {
        return FLOW_YAML.dumpToString(value).strip();
    }

    /** A value as people read it: {@code 0.01}, {@code 1e-05}, {@code relu}, {@code [64, 64]}, {@code {type: adam}}. */
    static String label(Object value) {
        if (value instanceof Double number) {
            return number(number);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ValueText::label).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(entry -> entry.getKey() + ": " + label(entry.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    /** Plain decimals from 0.0001 to a million, scientific notation beyond: {@code 0.003}, {@code 1e-05}, {@code 2.5e+07}. */
    static String number(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : Double.toString(value);
        }
        double magnitude = Math.abs(value);
        BigDecimal decimal = BigDecimal.valueOf(value).stripTrailingZeros();
        if (magnitude >= 1e-4 && magnitude < 1e6) {
            return decimal.toPlainString();
        }
        String scientific = String.format(java.util.Locale.ROOT, "%.3e", value); // e.g. 1.000e-05
        String mantissa = scientific.substring(0, scientific.indexOf('e')).replaceAll("\\.?0+$", "");
        return mantissa + scientific.substring(scientific.indexOf('e'));
    }
}

package org.backproplab.core.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Turns a {@link ConfigNode} into a value of a parameter's Java type, or reports in the user's terms
 * why it cannot: {@code must be an integer, got 'many'}.
 *
 * <p>Supported: {@code int}, {@code long}, {@code double}, {@code float}, {@code boolean} and their
 * boxes, {@code String}, enums (lower case in the file, matched ignoring case) and {@code List} of
 * those, nested too ({@code List<List<Double>>}: a matrix).
 */
final class ValueConverter {

    /** Returned when a value could not be converted; the reason has been reported. */
    static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "INVALID";
        }
    };

    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final ProblemCollector problems;

    ValueConverter(ProblemCollector problems) {
        this.problems = problems;
    }

    /** Whether a parameter of this type can be bound at all. */
    static boolean supports(Type type) {
        Class<?> raw = rawClass(type);
        if (raw == List.class) {
            // Lists of lists too (a matrix of given weights, rows of examples); the element must be a concrete type.
            return type instanceof ParameterizedType parameterized
                    && (parameterized.getActualTypeArguments()[0] instanceof Class<?> element && element != List.class
                            || parameterized.getActualTypeArguments()[0] instanceof ParameterizedType)
                    && supports(parameterized.getActualTypeArguments()[0]);
        }
        return raw != null && (isInteger(raw) || isLong(raw) || isDouble(raw) || isFloat(raw) || isBoolean(raw)
                || raw == String.class || raw.isEnum());
    }

    /** The value, or {@link #INVALID} after reporting a problem at the node. */
    Object convert(ConfigNode node, Type type, String path) {
        Class<?> raw = rawClass(type);
        if (!supports(type)) {
            return fail(node, path, "the component declares an unsupported parameter type " + type.getTypeName()
                    + " (a bug in the plugin)");
        }
        if (raw == List.class) {
            return list(node, ((ParameterizedType) type).getActualTypeArguments()[0], path);
        }
        if (isInteger(raw)) {
            Object value = integer(node, path, INT_MIN, INT_MAX);
            return value == INVALID ? INVALID : (Object) ((Long) value).intValue();
        }
        if (isLong(raw)) {
            return integer(node, path, LONG_MIN, LONG_MAX);
        }
        if (isDouble(raw)) {
            return number(node, path);
        }
        if (isFloat(raw)) {
            return floatNumber(node, path);
        }
        if (isBoolean(raw)) {
            return node instanceof ConfigScalar scalar && scalar.value() instanceof Boolean bool
                    ? bool
                    : fail(node, path, "must be true or false, got " + node.describe());
        }
        if (raw == String.class) {
            return string(node, path);
        }
        return enumConstant(node, raw, path);
    }

    private Object list(ConfigNode node, Type elementType, String path) {
        if (!(node instanceof ConfigList list)) {
            String example = node instanceof ConfigScalar scalar && !scalar.isNull()
                    ? ", e.g. [" + scalar.text() + "]"
                    : "";
            return fail(node, path, "must be a list" + example + ", got " + node.describe());
        }
        List<Object> values = new ArrayList<>(list.items().size());
        boolean valid = true;
        for (int i = 0; i < list.items().size(); i++) {
            Object value = convert(list.items().get(i), elementType, ConfigPath.element(path, i));
            valid &= value != INVALID;
            values.add(value);
        }
        return valid ? Collections.unmodifiableList(values) : INVALID;
    }

    private Object integer(ConfigNode node, String path, BigInteger min, BigInteger max) {
        if (!(node instanceof ConfigScalar scalar) || scalar.kind() != ConfigScalar.Kind.INTEGER) {
            return fail(node, path, "must be an integer, got " + node.describe());
        }
        BigInteger value = scalar.value() instanceof BigInteger big ? big : BigInteger.valueOf((Long) scalar.value());
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            return fail(node, path, "must be an integer from " + min + " to " + max + ", got " + scalar.text());
        }
        return value.longValue();
    }

    private Object number(ConfigNode node, String path) {
        if (node instanceof ConfigScalar scalar) {
            switch (scalar.kind()) {
                case INTEGER, FLOAT -> {
                    return ((Number) scalar.value()).doubleValue();
                }
                case STRING -> {
                    // A quoted number or a Java spelling ("1e-3", Infinity) still means a number here.
                    try {
                        return Double.parseDouble(scalar.text());
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
                default -> {
                    // null and booleans are not numbers
                }
            }
        }
        return fail(node, path, "must be a number, got " + node.describe());
    }

    private Object floatNumber(ConfigNode node, String path) {
        Object value = number(node, path);
        if (value == INVALID) {
            return INVALID;
        }
        double number = (Double) value;
        if (Double.isFinite(number) && Math.abs(number) > Float.MAX_VALUE) {
            return fail(node, path, "must be a number within ±" + Float.MAX_VALUE + ", got " + node.describe());
        }
        return (float) number;
    }

    private Object string(ConfigNode node, String path) {
        // A number or boolean where text is expected is almost always meant as text (name: 2024).
        if (node instanceof ConfigScalar scalar && !scalar.isNull()) {
            return scalar.text();
        }
        return fail(node, path, "must be a string, got " + node.describe());
    }

    private Object enumConstant(ConfigNode node, Class<?> enumType, String path) {
        List<String> names = Arrays.stream(enumType.getEnumConstants())
                .map(constant -> SnakeCase.ofConstant((Enum<?>) constant))
                .toList();
        if (node instanceof ConfigScalar scalar && !scalar.isNull()) {
            for (Object constant : enumType.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(scalar.text())) {
                    return constant;
                }
            }
            return fail(node, path, "must be one of " + String.join(", ", names) + ", got " + node.describe()
                    + NameSuggester.didYouMean(scalar.text(), names));
        }
        return fail(node, path, "must be one of " + String.join(", ", names) + ", got " + node.describe());
    }

    private Object fail(ConfigNode node, String path, String message) {
        problems.add(node.position(), path, message);
        return INVALID;
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> raw) {
            return raw;
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            return raw;
        }
        return null;
    }

    private static boolean isInteger(Class<?> type) {
        return type == int.class || type == Integer.class;
    }

    private static boolean isLong(Class<?> type) {
        return type == long.class || type == Long.class;
    }

    private static boolean isDouble(Class<?> type) {
        return type == double.class || type == Double.class;
    }

    private static boolean isFloat(Class<?> type) {
        return type == float.class || type == Float.class;
    }

    private static boolean isBoolean(Class<?> type) {
        return type == boolean.class || type == Boolean.class;
    }
}

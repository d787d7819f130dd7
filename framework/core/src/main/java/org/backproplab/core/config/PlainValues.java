package org.backproplab.core.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bound values as the experiment file would write them: String, Long, Double, Boolean, null, List
 * and insertion-ordered maps; enums in lower case; records as maps with snake_case keys.
 */
final class PlainValues {

    private PlainValues() {}

    /** The plain form of a bound value. */
    static Object of(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float number) {
            // Via the float's shortest text, so that 0.1f stays 0.1 rather than 0.10000000149011612.
            return Double.valueOf(Float.toString(number));
        }
        if (value instanceof Enum<?> constant) {
            return SnakeCase.ofConstant(constant);
        }
        if (value instanceof List<?> list) {
            List<Object> plain = new ArrayList<>(list.size());
            list.forEach(element -> plain.add(of(element)));
            return Collections.unmodifiableList(plain);
        }
        if (value instanceof Record record) {
            return ofRecord(record);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((key, element) -> plain.put(String.valueOf(key), of(element)));
            return Collections.unmodifiableMap(plain);
        }
        return value;
    }

    /** A record's components by snake_case name, in declaration order. */
    static Map<String, Object> ofRecord(Record record) {
        Map<String, Object> plain = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            plain.put(SnakeCase.of(component.getName()), of(read(record, component)));
        }
        return Collections.unmodifiableMap(plain);
    }

    /** A value for "got ..." in a message: strings quoted, lists in brackets. */
    static String describe(Object value) {
        Object plain = of(value);
        if (plain instanceof String text) {
            return "'" + text + "'";
        }
        if (plain instanceof List<?> list) {
            return list.stream().map(PlainValues::describe).toList().toString();
        }
        return String.valueOf(plain);
    }

    /** A plain value as parameter text: strings bare, lists as {@code [a, b]}. */
    static String text(Object plain) {
        if (plain instanceof List<?> list) {
            return list.stream().map(PlainValues::text).toList().toString();
        }
        return String.valueOf(plain);
    }

    private static Object read(Record record, RecordComponent component) {
        Method accessor = component.getAccessor();
        accessor.trySetAccessible(); // parameter records of plugins need not be public
        try {
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(
                    "cannot read " + component.getName() + " of " + record.getClass().getName(), e);
        }
    }
}

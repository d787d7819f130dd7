package org.backproplab.core.config;

import jakarta.validation.Constraint;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.backproplab.spi.Param;

/**
 * One parameter of a parameter record, as the experiment file sees it: its snake_case key, type,
 * description, default and constraints. Used to bind the file and to document components
 * ({@code ./lab plugins}, the JSON schema).
 *
 * @param name the key in the experiment file, e.g. {@code batch_size}
 * @param type the record component's generic type, e.g. {@code List<Integer>}
 * @param description the {@link Param#value()}, or {@code ""} without {@link Param}
 * @param defaultValue the default in YAML syntax, e.g. {@code "0.01"} or {@code "[2]"}; {@code null} when the
 *     parameter is required or optional without a default
 * @param required whether the experiment file must give it
 * @param constraints the Bean Validation constraints as short text, e.g. {@code "> 0"}, {@code "<= 1"},
 *     {@code "each > 0"} for the elements of a list
 */
public record ParameterSpec(
        String name, Type type, String description, String defaultValue, boolean required, List<String> constraints) {

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        constraints = List.copyOf(constraints);
    }

    /** Whether the parameter is absent-means-null ({@link Param#NONE}). */
    public boolean optional() {
        return !required && defaultValue == null;
    }

    /**
     * The JSON-Schema name of a scalar parameter type ({@code integer}, {@code number}, {@code boolean},
     * {@code string}), or {@code null} for anything else: one mapping for the schema and the catalogue.
     */
    public static String scalarTypeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        return type == String.class ? "string" : null;
    }

    /** The parameters of a record, in declaration order. */
    public static List<ParameterSpec> of(Class<? extends Record> recordType) {
        List<ParameterSpec> specs = new ArrayList<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            specs.add(of(recordType, component));
        }
        return List.copyOf(specs);
    }

    private static ParameterSpec of(Class<? extends Record> recordType, RecordComponent component) {
        Param param = component.getAnnotation(Param.class);
        String description = param == null ? "" : param.value();
        String declaredDefault = param == null ? Param.REQUIRED : param.defaultValue();
        boolean required = Param.REQUIRED.equals(declaredDefault);
        String defaultValue = required || Param.NONE.equals(declaredDefault) ? null : declaredDefault;
        return new ParameterSpec(SnakeCase.of(component.getName()), component.getGenericType(), description,
                defaultValue, required, constraintsOf(recordType, component));
    }

    private static List<String> constraintsOf(Class<? extends Record> recordType, RecordComponent component) {
        List<String> constraints = new ArrayList<>();
        // Jakarta constraints cannot target record components; Java copies them to the field.
        for (Annotation annotation : fieldOf(recordType, component).getDeclaredAnnotations()) {
            describe(annotation).ifPresent(constraints::add);
        }
        if (component.getAnnotatedType() instanceof AnnotatedParameterizedType parameterized) {
            for (AnnotatedType argument : parameterized.getAnnotatedActualTypeArguments()) {
                for (Annotation annotation : argument.getAnnotations()) {
                    describe(annotation).map(text -> "each " + text).ifPresent(constraints::add);
                }
            }
        }
        return constraints;
    }

    private static Field fieldOf(Class<? extends Record> recordType, RecordComponent component) {
        try {
            return recordType.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "record " + recordType.getName() + " has no field " + component.getName(), e);
        }
    }

    private static Optional<String> describe(Annotation annotation) {
        if (!annotation.annotationType().isAnnotationPresent(Constraint.class)) {
            return Optional.empty();
        }
        String text;
        if (annotation instanceof Positive) {
            text = "> 0";
        } else if (annotation instanceof PositiveOrZero) {
            text = ">= 0";
        } else if (annotation instanceof Negative) {
            text = "< 0";
        } else if (annotation instanceof NegativeOrZero) {
            text = "<= 0";
        } else if (annotation instanceof Min min) {
            text = ">= " + min.value();
        } else if (annotation instanceof Max max) {
            text = "<= " + max.value();
        } else if (annotation instanceof DecimalMin min) {
            text = (min.inclusive() ? ">= " : "> ") + min.value();
        } else if (annotation instanceof DecimalMax max) {
            text = (max.inclusive() ? "<= " : "< ") + max.value();
        } else if (annotation instanceof NotNull) {
            text = "not null";
        } else if (annotation instanceof NotBlank) {
            text = "not blank";
        } else if (annotation instanceof NotEmpty) {
            text = "not empty";
        } else if (annotation instanceof Size size) {
            text = size.max() == Integer.MAX_VALUE
                    ? "size >= " + size.min()
                    : "size " + size.min() + ".." + size.max();
        } else if (annotation instanceof Pattern pattern) {
            text = "matches " + pattern.regexp();
        } else {
            text = "@" + annotation.annotationType().getSimpleName();
        }
        return Optional.of(text);
    }
}

package org.backproplab.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/**
 * Binds one block of the experiment file to a parameter record: converts each key's value, fills
 * in defaults, reports unknown and missing keys, builds the record and checks its constraints.
 * Every problem is reported, not only the first.
 */
final class RecordBinder {

    private final ProblemCollector problems;
    private final ValueConverter converter;

    RecordBinder(ProblemCollector problems) {
        this.problems = problems;
        this.converter = new ValueConverter(problems);
    }

    /**
     * Binds a block.
     *
     * @param type the parameter record
     * @param block the block's keys (for a component, without {@code type})
     * @param path the block's dotted path; {@code ""} for the top level of the document
     * @param unknownKey how to start the message about a key the record lacks, e.g.
     *     {@code "unknown parameter of optimizer 'sgd'"}
     * @return the record, or {@code null} when anything was wrong (and reported)
     */
    <R extends Record> R bind(Class<R> type, ConfigMap block, String path, String unknownKey) {
        int problemsBefore = problems.count();
        List<ParameterSpec> specs = ParameterSpec.of(type);
        RecordComponent[] components = type.getRecordComponents();
        reportUnknownKeys(block, specs, path, unknownKey);

        Object[] values = new Object[components.length];
        boolean[] invalid = new boolean[components.length];
        for (int i = 0; i < components.length; i++) {
            ParameterSpec spec = specs.get(i);
            String keyPath = ConfigPath.child(path, spec.name());
            ConfigNode node = block.get(spec.name());
            Object value = node == null ? defaultValue(type, spec, block, keyPath) : givenValue(spec, node, keyPath);
            if (value == null && components[i].getType().isPrimitive()) {
                problems.add(block.position(), keyPath, "the plugin makes this " + components[i].getType()
                        + " parameter optional without a default (a bug in the plugin)");
                value = ValueConverter.INVALID;
            }
            invalid[i] = value == ValueConverter.INVALID;
            // A stand-in for an invalid value still lets the other parameters' constraints be checked.
            values[i] = invalid[i] ? placeholder(components[i].getType()) : value;
        }
        boolean anyInvalid = problems.count() > problemsBefore;
        R record = instantiate(type, components, values, block, path, anyInvalid);
        if (record != null) {
            checkConstraints(record, specs, components, invalid, anyInvalid, block, path);
        }
        return problems.count() == problemsBefore ? record : null;
    }

    private void reportUnknownKeys(ConfigMap block, List<ParameterSpec> specs, String path, String unknownKey) {
        List<String> known = specs.stream().map(ParameterSpec::name).toList();
        for (ConfigMap.Entry entry : block.entries()) {
            if (!known.contains(entry.key())) {
                String knownList = known.isEmpty() ? " (it takes none)" : " (known: " + String.join(", ", known) + ")";
                problems.add(entry.keyPosition(), ConfigPath.child(path, entry.key()),
                        unknownKey + NameSuggester.didYouMean(entry.key(), known) + knownList);
            }
        }
    }

    private Object givenValue(ParameterSpec spec, ConfigNode node, String keyPath) {
        if (node instanceof ConfigScalar scalar && scalar.isNull()) {
            if (spec.optional()) {
                return null;
            }
            problems.add(node.position(), keyPath, spec.required()
                    ? "missing (required)"
                    : "must not be null; leave it out for the default, " + spec.defaultValue());
            return ValueConverter.INVALID;
        }
        Class<?> raw = ValueConverter.rawClass(spec.type());
        if (raw != null && raw.isRecord()) {
            return nestedRecord(raw.asSubclass(Record.class), node, keyPath);
        }
        return converter.convert(node, spec.type(), keyPath);
    }

    /** A setting that is itself a group of settings, e.g. {@code training.early_stopping: {metric: eval/loss}}. */
    private Object nestedRecord(Class<? extends Record> type, ConfigNode node, String keyPath) {
        if (!(node instanceof ConfigMap block)) {
            problems.add(node.position(), keyPath, "must be a mapping of settings ("
                    + String.join(", ", ParameterSpec.of(type).stream().map(ParameterSpec::name).toList())
                    + "), got " + node.describe());
            return ValueConverter.INVALID;
        }
        Record value = bind(type, block, keyPath, "unknown setting of " + keyPath);
        return value == null ? ValueConverter.INVALID : value;
    }

    private Object defaultValue(Class<?> type, ParameterSpec spec, ConfigMap block, String keyPath) {
        if (spec.required()) {
            problems.add(block.position(), keyPath, "missing (required)");
            return ValueConverter.INVALID;
        }
        if (spec.defaultValue() == null) {
            return null;
        }
        // Defaults are written in experiment-file syntax, so they go through the same reader and converter.
        ProblemCollector defaultProblems = new ProblemCollector();
        ConfigNode parsed =
                YamlTreeReader.read(YamlTreeReader.Origin.file("default"), spec.defaultValue(), defaultProblems);
        Object value = parsed == null
                ? ValueConverter.INVALID
                : new ValueConverter(defaultProblems).convert(parsed, spec.type(), keyPath);
        if (value == ValueConverter.INVALID || value == null) {
            String reason = defaultProblems.isEmpty()
                    ? "it is null"
                    : defaultProblems.inReadingOrder(List.of()).get(0).message();
            problems.add(block.position(), keyPath, "the default '" + spec.defaultValue() + "' declared by "
                    + type.getName() + " is invalid (a bug in the plugin): " + reason);
            return ValueConverter.INVALID;
        }
        return value;
    }

    private <R extends Record> R instantiate(Class<R> type, RecordComponent[] components, Object[] values,
            ConfigMap block, String path, boolean anyInvalid) {
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<R> constructor;
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
        }
        constructor.trySetAccessible(); // parameter records of plugins need not be public
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            // A compact constructor that checks its arguments; with stand-ins for invalid values it may well object.
            if (!anyInvalid) {
                Throwable cause = e.getCause();
                String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                problems.add(block.position(), path, reason);
            }
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private void checkConstraints(Record record, List<ParameterSpec> specs, RecordComponent[] components,
            boolean[] invalid, boolean anyInvalid, ConfigMap block, String path) {
        for (ConstraintChecker.Violation violation : ConstraintChecker.check(record)) {
            int i = indexOf(components, violation.property());
            if (i < 0) {
                // A rule over several parameters, such as @AssertTrue isShapeGivenOnce(): about the whole block.
                if (!anyInvalid) {
                    problems.add(block.position(), path, violation.message());
                }
                continue;
            }
            if (invalid[i]) {
                continue; // a stand-in; its real problem is already reported
            }
            String keyPath = ConfigPath.child(path, specs.get(i).name());
            ConfigNode given = block.get(specs.get(i).name());
            ConfigNode node = given;
            if (violation.index() != null) {
                keyPath = ConfigPath.element(keyPath, violation.index());
                node = given instanceof ConfigList list && violation.index() < list.items().size()
                        ? list.items().get(violation.index())
                        : null;
            }
            // The value as the user wrote it (-1, not -1.0) where there is one.
            String got = node instanceof ConfigScalar scalar
                    ? scalar.describe()
                    : PlainValues.describe(violation.invalidValue()) + (given == null ? " (the default)" : "");
            ConfigNode placed = node != null ? node : given;
            SourcePosition position = placed != null ? placed.position() : block.position();
            problems.add(position, keyPath, violation.message() + ", got " + got);
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Object placeholder(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == float.class) {
            return 0.0f;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == char.class) {
            return '\0';
        }
        return 0;
    }
}

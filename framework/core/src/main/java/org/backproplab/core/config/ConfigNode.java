package org.backproplab.core.config;

/**
 * A value of the experiment file with the position it was written at: the tree the loader binds,
 * after YAML parsing and {@code --set} overrides. Scalars are already typed by the YAML core schema.
 */
sealed interface ConfigNode permits ConfigScalar, ConfigList, ConfigMap {

    /** Where the value starts. */
    SourcePosition position();

    /** The value for a "got ..." in a message: a quoted string, a number as written, "a list", ... */
    String describe();

    /** The plain Java value: String, Long, Double, Boolean, null, List or LinkedHashMap. */
    Object toPlain();
}

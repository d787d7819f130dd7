package org.backproplab.spi;

/**
 * A named, self-describing factory of one component: the common part of every component kind.
 *
 * <p>The parameters are a record. Each record component becomes a key of the component's block in
 * the experiment file, spelled in snake_case ({@code batchSize} is {@code batch_size}); annotate it
 * with {@link Param} for its description and default, and with Jakarta Bean Validation constraints
 * ({@code @Positive}, {@code @DecimalMax}, ...) for its bounds. Cross-field rules go in a method
 * {@code @AssertTrue boolean isXxx()}. Supported component types: {@code int}, {@code long},
 * {@code double}, {@code float}, {@code boolean} (or their boxes), {@code String}, enums (written
 * in the file in lower case) and {@code List} of those.
 *
 * @param <P> the parameter record; use {@link NoParameters} when there are none
 */
public interface ComponentFactory<P extends Record> {

    /**
     * The name used as {@code type:} in experiment files.
     *
     * @return e.g. {@code "mlp"}: lower case, unique among the components of its kind
     */
    String name();

    /**
     * What the component is, for {@code ./lab plugins} and the experiment files' JSON schema.
     *
     * @return one sentence
     */
    String description();

    /**
     * The record class the component's parameters are bound to.
     *
     * @return the parameter record's class, e.g. {@code Parameters.class}, or {@code NoParameters.class}
     */
    Class<P> parametersType();
}

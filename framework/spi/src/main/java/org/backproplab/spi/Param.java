package org.backproplab.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one parameter of a component's parameter record and gives its default.
 *
 * <p>The default is written as it would be in the experiment file ({@code "0.01"}, {@code "relu"},
 * {@code "[2]"}). A parameter without a default is required, unless its default is {@link #NONE},
 * which makes it optional with a {@code null} value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Param {

    /** Marks a parameter that must be given in the experiment file. */
    String REQUIRED = "\u0000required";

    /** Marks an optional parameter whose absence is {@code null}. */
    String NONE = "\u0000none";

    /**
     * What the parameter means, shown by {@code ./lab plugins} and in the JSON schema.
     *
     * @return one sentence
     */
    String value();

    /**
     * The default value.
     *
     * @return the default in experiment-file syntax, or {@link #REQUIRED} (the default) or {@link #NONE}
     */
    String defaultValue() default REQUIRED;
}

package org.backproplab.core.config;

import java.util.Objects;
import org.backproplab.core.plugin.ComponentKind;
import org.backproplab.spi.ComponentFactory;

/**
 * A component block of an experiment file, bound: the factory its {@code type} names and that
 * factory's parameter record, every default filled in and every constraint checked.
 *
 * @param kind which block it is
 * @param type the factory's name, as written after {@code type:}
 * @param factory the factory
 * @param parameters an instance of {@code factory.parametersType()}
 */
public record BoundComponent(ComponentKind kind, String type, ComponentFactory<?> factory, Record parameters) {

    public BoundComponent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(parameters, "parameters");
        if (!factory.parametersType().isInstance(parameters)) {
            throw new IllegalArgumentException(
                    "parameters of " + type + " must be a " + factory.parametersType().getName());
        }
    }
}

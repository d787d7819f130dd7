package org.backproplab.spi;

import java.util.List;

/**
 * The entry point of a plugin, registered in {@code META-INF/services/org.backproplab.spi.Plugin}.
 *
 * <p>Every kind of extension is a {@code default} method returning an empty list, so a plugin
 * overrides only what it contributes. Component names must be unique across all loaded plugins;
 * a duplicate fails start-up naming both plugins.
 */
public interface Plugin {

    /** Datasets this plugin contributes, each under its own {@link ComponentFactory#name()}. */
    default List<DatasetFactory<?>> datasets() {
        return List.of();
    }

    /** Models (DJL blocks) this plugin contributes. */
    default List<ModelFactory<?>> models() {
        return List.of();
    }

    /** Loss functions this plugin contributes. */
    default List<LossFactory<?>> losses() {
        return List.of();
    }

    /** Optimizers this plugin contributes. */
    default List<OptimizerFactory<?>> optimizers() {
        return List.of();
    }
}

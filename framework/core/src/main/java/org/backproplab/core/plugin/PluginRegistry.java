package org.backproplab.core.plugin;

import java.util.List;
import java.util.Optional;
import org.backproplab.spi.ComponentFactory;
import org.backproplab.spi.Plugin;

/** The loaded plugins, to say which jar a component came from. */
public final class PluginRegistry {

    private final List<LoadedPlugin> plugins;

    public PluginRegistry(List<LoadedPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** The plugin that contributed a component of a kind, if any. */
    public Optional<LoadedPlugin> owner(ComponentKind kind, String name) {
        return plugins.stream()
                .filter(loaded -> contributions(loaded.plugin(), kind).stream().anyMatch(f -> f.name().equals(name)))
                .findFirst();
    }

    static List<? extends ComponentFactory<?>> contributions(Plugin plugin, ComponentKind kind) {
        return kind.contributions(plugin);
    }
}

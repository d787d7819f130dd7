package org.backproplab.core.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.backproplab.spi.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds plugins with {@link ServiceLoader}; the core never names one. */
public final class PluginLoader {

    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

    private PluginLoader() {}

    /** Every plugin registered in {@code META-INF/services/org.backproplab.spi.Plugin} visible to the class loader. */
    public static List<LoadedPlugin> load(ClassLoader classLoader) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        try {
            for (Plugin plugin : ServiceLoader.load(Plugin.class, classLoader)) {
                LoadedPlugin loaded = LoadedPlugin.of(plugin);
                LOG.debug("loaded plugin {}", loaded.describe());
                plugins.add(loaded);
            }
        } catch (ServiceConfigurationError e) {
            throw new PluginException("a plugin could not be loaded: " + e.getMessage());
        }
        return List.copyOf(plugins);
    }
}

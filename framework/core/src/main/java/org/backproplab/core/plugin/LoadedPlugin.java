package org.backproplab.core.plugin;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import org.backproplab.spi.Plugin;

/**
 * A plugin and where it came from, so messages about its components can name the jar.
 *
 * @param plugin the plugin instance
 * @param source the jar or class folder it was loaded from
 */
public record LoadedPlugin(Plugin plugin, String source) {

    /** Wraps a plugin, finding its jar from its class's code source. */
    public static LoadedPlugin of(Plugin plugin) {
        return new LoadedPlugin(plugin, sourceOf(plugin.getClass()));
    }

    /** The plugin's class name and jar, for messages. */
    public String describe() {
        return plugin.getClass().getName() + " (" + source + ")";
    }

    private static String sourceOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return "unknown location";
        }
        try {
            Path path = Path.of(codeSource.getLocation().toURI());
            return path.getFileName() == null ? path.toString() : path.getFileName().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return codeSource.getLocation().toString();
        }
    }
}

package org.backproplab.core.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.backproplab.spi.Plugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}; the core never names one. Plugins come from the class
 * path (the built-in ones) and from plugin directories, each external plugin in its own
 * {@link PluginClassLoader}.
 */
public final class PluginLoader {

    /** Where a jar registers its plugin. */
    static final String SERVICES_ENTRY = "META-INF/services/" + Plugin.class.getName();

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

    /**
     * Every plugin of the given directories, in order: each jar of a directory, and each
     * subdirectory holding jars (the plugin jar and its dependencies), is one plugin with its own
     * class loader. A directory given twice is read once.
     *
     * @throws PluginException listing every problem: a directory that is missing or holds no plugin,
     *     a jar without a plugin, a plugin compiled against an SPI this core cannot load, a plugin
     *     that cannot be instantiated
     */
    public static List<LoadedPlugin> load(PluginDirectories directories) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path directory : directories.directories()) {
            if (!Files.exists(directory)) {
                problems.add("plugin directory " + directory + " does not exist");
                continue;
            }
            if (!Files.isDirectory(directory)) {
                problems.add(directory + " is not a directory; --plugins and " + PluginDirectories.ENVIRONMENT_VARIABLE
                        + " name directories that hold plugin jars");
                continue;
            }
            try {
                if (!seen.add(directory.toRealPath())) {
                    continue;
                }
            } catch (IOException e) {
                problems.add("cannot read plugin directory " + directory + ": " + e.getMessage());
                continue;
            }
            int problemsBefore = problems.size();
            int pluginsBefore = plugins.size();
            for (Path entry : list(directory, problems)) {
                if (Files.isDirectory(entry)) {
                    List<Path> jars = list(entry, problems).stream().filter(PluginLoader::isJar).toList();
                    if (jars.isEmpty()) {
                        LOG.debug("{} holds no jar; not a plugin", entry);
                        continue;
                    }
                    plugins.addAll(loadPlugin(entry, jars, problems));
                } else if (isJar(entry)) {
                    plugins.addAll(loadPlugin(entry, List.of(entry), problems));
                }
            }
            if (plugins.size() == pluginsBefore && problems.size() == problemsBefore) {
                problems.add("plugin directory " + directory + " holds no plugin: put plugin jars in it, or subdirectories "
                        + "each holding a plugin jar and the jars it depends on");
            }
        }
        if (!problems.isEmpty()) {
            throw new PluginException(problems.size() == 1
                    ? problems.get(0)
                    : problems.size() + " problems with plugins:" + System.lineSeparator() + "  "
                            + String.join(System.lineSeparator() + "  ", problems));
        }
        return List.copyOf(plugins);
    }

    /** The plugins of one jar, or of one subdirectory's jars, in a class loader of their own. */
    private static List<LoadedPlugin> loadPlugin(Path location, List<Path> jars, List<String> problems) {
        List<Path> pluginJars = new ArrayList<>();
        boolean compatible = true;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getEntry(SERVICES_ENTRY) == null) {
                    continue;
                }
                pluginJars.add(jar);
                compatible &= checkSpiVersion(jar, file.getManifest(), problems);
            } catch (IOException e) {
                problems.add(jar + " cannot be read as a jar: " + e.getMessage());
                return List.of();
            }
        }
        if (pluginJars.isEmpty()) {
            problems.add(jars.size() == 1 && jars.get(0).equals(location)
                    ? location + " holds no plugin: it has no " + SERVICES_ENTRY + "; a plugin's dependency jars go "
                            + "in a subdirectory together with the plugin jar"
                    : location + " holds no plugin: none of its jars has " + SERVICES_ENTRY);
            return List.of();
        }
        if (!compatible) {
            return List.of();
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                problems.add(jar + " cannot be loaded: " + e.getMessage());
                return List.of();
            }
        }
        PluginClassLoader classLoader = new PluginClassLoader(
                location.getFileName().toString(), urls, Plugin.class.getClassLoader());
        List<LoadedPlugin> plugins = new ArrayList<>();
        try {
            for (Plugin plugin : ServiceLoader.load(Plugin.class, classLoader)) {
                LoadedPlugin loaded = new LoadedPlugin(plugin, jarOf(plugin.getClass(), location));
                LOG.debug("loaded plugin {}", loaded.describe());
                plugins.add(loaded);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            problems.add(location + ": its plugin cannot be loaded: " + e.getMessage()
                    + (e.getCause() != null && e.getCause() != e ? " (" + e.getCause() + ")" : ""));
            return List.of();
        }
        if (plugins.isEmpty()) {
            problems.add(location + " holds no plugin: " + SERVICES_ENTRY + " names no class");
        }
        return plugins;
    }

    /** Whether a plugin jar says which SPI it was built against, and that SPI is one this core can load. */
    private static boolean checkSpiVersion(Path jar, Manifest manifest, List<String> problems) {
        String attribute = Plugin.SPI_VERSION_ATTRIBUTE;
        String recorded = manifest == null ? null : manifest.getMainAttributes().getValue(new Attributes.Name(attribute));
        SpiVersion current = SpiVersion.current();
        if (recorded == null || recorded.isBlank()) {
            problems.add(jar + " does not record the SPI version it was compiled against: add the manifest entry "
                    + attribute + " (e.g. " + attribute + ": " + current + ".0) with the maven-jar-plugin's "
                    + "manifestEntries; see \"Writing a plugin\" in the README");
            return false;
        }
        var compiledAgainst = SpiVersion.parse(recorded);
        if (compiledAgainst.isEmpty()) {
            problems.add(jar + " records " + attribute + ": " + recorded + ", which is not a version such as "
                    + current + ".0");
            return false;
        }
        if (!current.canLoad(compiledAgainst.get())) {
            problems.add(jar + " was compiled against plugin SPI " + compiledAgainst.get() + " (" + attribute + ": "
                    + recorded + "), but this Backprop Lab provides SPI " + current + "; rebuild the plugin against "
                    + "org.backproplab:backprop-lab-spi " + current + ".x");
            return false;
        }
        return true;
    }

    private static List<Path> list(Path directory, List<String> problems) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            problems.add("cannot read plugin directory " + directory + ": " + e.getMessage());
            return List.of();
        }
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    /** The jar a plugin class came from, for messages; the plugin's location when that cannot be told. */
    private static String jarOf(Class<?> type, Path location) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource != null && codeSource.getLocation() != null) {
            try {
                return Path.of(codeSource.getLocation().toURI()).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                return codeSource.getLocation().toString();
            }
        }
        return location.toAbsolutePath().toString();
    }
}

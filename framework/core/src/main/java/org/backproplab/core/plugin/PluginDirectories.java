package org.backproplab.core.plugin;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The directories external plugins are loaded from: those of {@code LAB_PLUGIN_PATH}, then those
 * given with {@code --plugins}. Each entry of such a directory is one plugin: a jar, or a
 * subdirectory holding the plugin jar and the jars it depends on.
 *
 * @param directories in the order given
 */
public record PluginDirectories(List<Path> directories) {

    /** The environment variable listing plugin directories, separated by {@link File#pathSeparator}. */
    public static final String ENVIRONMENT_VARIABLE = "LAB_PLUGIN_PATH";

    /** No external plugins: the class path's only. */
    public static final PluginDirectories NONE = new PluginDirectories(List.of());

    public PluginDirectories {
        directories = List.copyOf(directories);
    }

    /**
     * {@code LAB_PLUGIN_PATH}'s directories, then {@code given}.
     *
     * @throws PluginException when an entry of {@code LAB_PLUGIN_PATH} is not a path
     */
    public static PluginDirectories of(Map<String, String> environment, List<Path> given) {
        List<Path> directories = new ArrayList<>();
        String path = environment.get(ENVIRONMENT_VARIABLE);
        if (path != null) {
            for (String entry : path.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
                if (entry.isBlank()) {
                    continue;
                }
                try {
                    directories.add(Path.of(entry.trim()));
                } catch (InvalidPathException e) {
                    throw new PluginException(ENVIRONMENT_VARIABLE + " names '" + entry + "', which is not a path: "
                            + e.getReason());
                }
            }
        }
        directories.addAll(given);
        // A directory named twice (LAB_PLUGIN_PATH and a re-run's --plugins) is loaded once.
        List<Path> distinct = new ArrayList<>();
        for (Path directory : directories) {
            if (distinct.stream().noneMatch(seen -> sameDirectory(seen, directory))) {
                distinct.add(directory);
            }
        }
        return new PluginDirectories(distinct);
    }

    private static boolean sameDirectory(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}

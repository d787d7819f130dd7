package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.backproplab.core.plugin.PluginDirectories;
import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR}, for every command that needs the components: {@code @Mixin PluginOptions plugins;}.
 * The directories of {@code LAB_PLUGIN_PATH} come first, then those given here.
 */
public final class PluginOptions {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "load the plugins of DIR: its jars, and its subdirectories of jars (a plugin with its "
                    + "dependencies); repeatable, after those of $LAB_PLUGIN_PATH")
    List<Path> directories = new ArrayList<>();

    /** The plugin directories of {@code environment}'s {@code LAB_PLUGIN_PATH} and of {@code --plugins}. */
    PluginDirectories directories(Map<String, String> environment) {
        return PluginDirectories.of(environment, directories);
    }

    /** An injector over the class path's plugins and those of the plugin directories. */
    Injector createInjector() {
        return LabModule.createInjector(directories(System.getenv()));
    }
}

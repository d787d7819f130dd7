package org.backproplab.core.cli;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import java.util.List;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.plugin.LoadedPlugin;
import org.backproplab.core.plugin.PluginDirectories;
import org.backproplab.core.plugin.PluginException;
import org.backproplab.core.plugin.PluginLoader;
import org.backproplab.core.plugin.PluginModule;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.sweep.SweepPlanner;
import org.backproplab.core.sweep.SweepRunner;
import org.backproplab.core.sweep.SweepWorker;
import org.backproplab.core.training.ExperimentTrainer;

/**
 * The composition root: the core's bindings over the loaded plugins, at the top of the package graph
 * because it names classes of every layer. Hardened as Airlift does: explicit bindings only, no circular proxies,
 * production stage (every singleton built at start-up, so wiring errors surface at once).
 */
public final class LabModule extends AbstractModule {

    private final List<LoadedPlugin> plugins;
    private final PluginDirectories directories;

    public LabModule(List<LoadedPlugin> plugins) {
        this(plugins, PluginDirectories.NONE);
    }

    /** @param directories where the plugins outside the class path came from, for a run's re-run command */
    public LabModule(List<LoadedPlugin> plugins, PluginDirectories directories) {
        this.plugins = List.copyOf(plugins);
        this.directories = directories;
    }

    /** An injector over the given plugins. */
    public static Injector createInjector(List<LoadedPlugin> plugins) {
        return createInjector(plugins, PluginDirectories.NONE);
    }

    private static Injector createInjector(List<LoadedPlugin> plugins, PluginDirectories directories) {
        List<String> duplicates = PluginModule.duplicates(plugins);
        if (!duplicates.isEmpty()) {
            throw new PluginException("duplicate component names: " + String.join("; ", duplicates));
        }
        try {
            return Guice.createInjector(Stage.PRODUCTION, new LabModule(plugins, directories));
        } catch (CreationException e) {
            // Guice wraps what configure() throws; surface the plugin problem as itself.
            for (var message : e.getErrorMessages()) {
                if (message.getCause() instanceof PluginException pluginProblem) {
                    throw pluginProblem;
                }
            }
            throw e;
        }
    }

    /** An injector over every plugin on the class path. */
    public static Injector createInjector() {
        return createInjector(PluginDirectories.NONE);
    }

    /**
     * An injector over every plugin on the class path and every plugin of the directories, each of
     * those in its own class loader.
     *
     * @throws PluginException when a plugin directory or jar cannot be used, or two plugins
     *     contribute components of one kind and name
     */
    public static Injector createInjector(PluginDirectories directories) {
        List<LoadedPlugin> plugins = new java.util.ArrayList<>(PluginLoader.load(LabModule.class.getClassLoader()));
        plugins.addAll(PluginLoader.load(directories));
        return createInjector(plugins, directories);
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        binder().requireAtInjectOnConstructors();
        install(new PluginModule(plugins));
        bind(PluginDirectories.class).toInstance(directories);
        bind(ComponentCatalog.class);
        bind(ExperimentLoader.class);
        bind(ExperimentTrainer.class);
        bind(ExperimentRunner.class);
        bind(SweepPlanner.class);
        bind(SweepRunner.class);
        bind(SweepWorker.class);
    }
}

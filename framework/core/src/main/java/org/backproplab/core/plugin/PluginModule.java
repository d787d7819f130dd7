package org.backproplab.core.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.backproplab.spi.CallbackFactory;
import org.backproplab.spi.ComponentFactory;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Plugin;
import org.backproplab.spi.ScheduleFactory;

/**
 * Registers every component of the loaded plugins by name in one Guice {@link MapBinder} per kind.
 * Plugins contribute named factories and nothing else: they cannot override core bindings.
 */
public final class PluginModule extends AbstractModule {

    private final List<LoadedPlugin> plugins;

    public PluginModule(List<LoadedPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    @Override
    protected void configure() {
        bindAll(ComponentKind.DATASET, Plugin::datasets, new TypeLiteral<DatasetFactory<?>>() {});
        bindAll(ComponentKind.MODEL, Plugin::models, new TypeLiteral<ModelFactory<?>>() {});
        bindAll(ComponentKind.LOSS, Plugin::losses, new TypeLiteral<LossFactory<?>>() {});
        bindAll(ComponentKind.OPTIMIZER, Plugin::optimizers, new TypeLiteral<OptimizerFactory<?>>() {});
        bindAll(ComponentKind.SCHEDULE, Plugin::schedules, new TypeLiteral<ScheduleFactory<?>>() {});
        bindAll(ComponentKind.METRIC, Plugin::metrics, new TypeLiteral<MetricFactory<?>>() {});
        bindAll(ComponentKind.CALLBACK, Plugin::callbacks, new TypeLiteral<CallbackFactory<?>>() {});
        bind(PluginRegistry.class).toInstance(new PluginRegistry(plugins));
    }

    /**
     * Every component name contributed twice within a kind, naming both plugins and their jars;
     * empty when all names are unique. Checked before Guice starts, so the message comes alone.
     */
    public static List<String> duplicates(List<LoadedPlugin> plugins) {
        List<String> duplicates = new ArrayList<>();
        for (ComponentKind kind : ComponentKind.values()) {
            Map<String, LoadedPlugin> owners = new LinkedHashMap<>();
            for (LoadedPlugin plugin : plugins) {
                for (ComponentFactory<?> factory : PluginRegistry.contributions(plugin.plugin(), kind)) {
                    LoadedPlugin previous = owners.putIfAbsent(factory.name(), plugin);
                    if (previous != null) {
                        duplicates.add(kind.key() + " '" + factory.name() + "' is contributed by both "
                                + previous.describe() + " and " + plugin.describe());
                    }
                }
            }
        }
        return duplicates;
    }

    private <F extends ComponentFactory<?>> void bindAll(
            ComponentKind kind, Function<Plugin, List<F>> contributions, TypeLiteral<F> factoryType) {
        MapBinder<String, F> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), factoryType);
        Map<String, LoadedPlugin> owners = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (LoadedPlugin plugin : plugins) {
            for (F factory : contributions.apply(plugin.plugin())) {
                LoadedPlugin previous = owners.putIfAbsent(factory.name(), plugin);
                if (previous != null) {
                    // Guice would only say "duplicate key"; name both plugins so the user knows which jar to remove.
                    duplicates.add(kind.key() + " '" + factory.name() + "' is contributed by both "
                            + previous.describe() + " and " + plugin.describe());
                    continue;
                }
                binder.addBinding(factory.name()).toInstance(factory);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new PluginException("duplicate component names: " + String.join("; ", duplicates));
        }
    }
}

package org.backproplab.core.plugin;

import jakarta.inject.Inject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.backproplab.spi.CallbackFactory;
import org.backproplab.spi.ComponentFactory;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.MetricFactory;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.ScheduleFactory;

/**
 * Every registered component factory by kind and name. Filled from the Guice map bindings that
 * {@link PluginModule} contributes, so the core never names a component itself.
 */
public final class ComponentCatalog {

    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ComponentKind.class);

    @Inject
    public ComponentCatalog(
            Map<String, DatasetFactory<?>> datasets,
            Map<String, ModelFactory<?>> models,
            Map<String, LossFactory<?>> losses,
            Map<String, OptimizerFactory<?>> optimizers,
            Map<String, ScheduleFactory<?>> schedules,
            Map<String, MetricFactory<?>> metrics,
            Map<String, CallbackFactory<?>> callbacks) {
        factories.put(ComponentKind.DATASET, sorted(datasets));
        factories.put(ComponentKind.MODEL, sorted(models));
        factories.put(ComponentKind.LOSS, sorted(losses));
        factories.put(ComponentKind.OPTIMIZER, sorted(optimizers));
        factories.put(ComponentKind.SCHEDULE, sorted(schedules));
        factories.put(ComponentKind.METRIC, sorted(metrics));
        factories.put(ComponentKind.CALLBACK, sorted(callbacks));
    }

    private static Map<String, ComponentFactory<?>> sorted(Map<String, ? extends ComponentFactory<?>> byName) {
        return Collections.unmodifiableMap(new TreeMap<>(byName));
    }

    /** The factories of one kind, sorted by name. */
    public Map<String, ComponentFactory<?>> factories(ComponentKind kind) {
        return factories.get(kind);
    }
}

package org.backproplab.plugins.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ServiceLoader;
import org.backproplab.spi.ComponentFactory;
import org.backproplab.spi.Plugin;
import org.junit.jupiter.api.Test;

/** The plugin as Backprop Lab finds it: through its services file, contributing three named components. */
class ExamplePluginTest {

    @Test
    void theServicesFileRegistersThePlugin() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).hasSize(1).first().isInstanceOf(ExamplePlugin.class);
    }

    @Test
    void itContributesADatasetAModelALossAMetricAndACallback() {
        Plugin plugin = new ExamplePlugin();
        assertThat(plugin.datasets()).extracting(ComponentFactory::name).containsExactly("two-moons");
        assertThat(plugin.models()).extracting(ComponentFactory::name).containsExactly("swish-mlp");
        assertThat(plugin.losses()).extracting(ComponentFactory::name).containsExactly("huber");
        assertThat(plugin.metrics()).extracting(ComponentFactory::name).containsExactly("brier");
        assertThat(plugin.callbacks()).extracting(ComponentFactory::name).containsExactly("stop-at-loss");
        assertThat(plugin.optimizers()).isEmpty();
        assertThat(plugin.schedules()).isEmpty();
    }

    @Test
    void everyComponentDescribesItselfAndItsParameters() {
        Plugin plugin = new ExamplePlugin();
        List<ComponentFactory<?>> factories = List.of(plugin.datasets().get(0), plugin.models().get(0), plugin.losses().get(0),
                plugin.callbacks().get(0));
        for (ComponentFactory<?> factory : factories) {
            assertThat(factory.description()).as(factory.name()).endsWith(".");
            assertThat(factory.parametersType().isRecord()).isTrue();
            assertThat(factory.parametersType().getRecordComponents()).as(factory.name()).isNotEmpty()
                    .allSatisfy(component -> assertThat(component.getAnnotation(org.backproplab.spi.Param.class))
                            .as(factory.name() + "." + component.getName()).isNotNull());
        }
    }
}

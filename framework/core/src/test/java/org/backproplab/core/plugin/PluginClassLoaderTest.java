package org.backproplab.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.backproplab.core.plugin.testplugin.dependency.Greeting;
import org.backproplab.core.cli.LabModule;
import org.backproplab.spi.Plugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a plugin sees: the SPI and its APIs from the core, the JDK, its own jars, and nothing else. */
class PluginClassLoaderTest {

    @TempDir
    Path folder;

    private PluginClassLoader loaderOver(Path... jars) throws IOException {
        List<URL> urls = new java.util.ArrayList<>();
        for (Path jar : jars) {
            urls.add(jar.toUri().toURL());
        }
        return new PluginClassLoader("test", urls, Plugin.class.getClassLoader());
    }

    @Test
    void theSpiAndTheApisInItsSignaturesAreTheCoresClasses() throws Exception {
        try (PluginClassLoader loader = loaderOver()) {
            assertThat(loader.loadClass(Plugin.class.getName())).isSameAs(Plugin.class);
            assertThat(loader.loadClass(NDArray.class.getName())).isSameAs(NDArray.class);
            assertThat(loader.loadClass(Positive.class.getName())).isSameAs(Positive.class);
            assertThat(loader.loadClass(org.slf4j.Logger.class.getName())).isSameAs(org.slf4j.Logger.class);
            assertThat(loader.loadClass(List.class.getName())).isSameAs(List.class);
        }
    }

    @Test
    void theRestOfTheClassPathIsInvisible() throws Exception {
        try (PluginClassLoader loader = loaderOver()) {
            for (String hidden : List.of("com.google.inject.Injector", LabModule.class.getName(),
                    "com.fasterxml.jackson.databind.ObjectMapper", Greeting.class.getName())) {
                assertThatThrownBy(() -> loader.loadClass(hidden)).as(hidden).isInstanceOf(ClassNotFoundException.class);
                assertThat(loader.getResource(hidden.replace('.', '/') + ".class")).as(hidden).isNull();
            }
            // Not even the class path's plugin registrations: an external plugin finds only its own.
            assertThat(Collections.list(loader.getResources(PluginLoader.SERVICES_ENTRY))).isEmpty();
        }
    }

    @Test
    void theJarsClassesComeFirstEvenWhenTheCoreHasThemToo() throws Exception {
        Path jar = TestJars.dependency().writeTo(folder.resolve("library.jar"));
        try (PluginClassLoader loader = loaderOver(jar)) {
            Class<?> fromJar = loader.loadClass(Greeting.class.getName());
            assertThat(fromJar).isNotSameAs(Greeting.class);
            assertThat(fromJar.getClassLoader()).isSameAs(loader);
        }
    }

    @Test
    void theSpiCannotBeReplacedByACopyInThePluginsJar() throws Exception {
        Path jar = TestJars.dependency()
                .entry("org/backproplab/spi/Plugin.class", "not a class file")
                .writeTo(folder.resolve("bundles-the-spi.jar"));
        try (PluginClassLoader loader = loaderOver(jar)) {
            assertThat(loader.loadClass(Plugin.class.getName())).isSameAs(Plugin.class);
            assertThat(loader.getResource("org/backproplab/spi/Plugin.class").toString()).doesNotContain("bundles-the-spi.jar");
        }
    }
}

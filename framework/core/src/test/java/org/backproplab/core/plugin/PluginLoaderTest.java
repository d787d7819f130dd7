package org.backproplab.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.backproplab.core.plugin.testplugin.GreetingPlugin;
import org.backproplab.core.plugin.testplugin.dependency.Greeting;
import org.backproplab.core.cli.LabModule;
import org.backproplab.spi.Plugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External plugins: one class loader each, their own jars, and a clear message for every way a directory can be wrong. */
class PluginLoaderTest {

    @TempDir
    Path plugins;

    private static List<LoadedPlugin> load(Path... directories) {
        return PluginLoader.load(new PluginDirectories(List.of(directories)));
    }

    @Test
    void aSubdirectoryIsOnePluginWithItsDependencyJarsInAClassLoaderOfItsOwn() {
        TestJars.plugin().writeTo(plugins.resolve("greeting/greeting-plugin.jar"));
        TestJars.dependency().writeTo(plugins.resolve("greeting/greeting-library.jar"));

        List<LoadedPlugin> loaded = load(plugins);

        assertThat(loaded).hasSize(1);
        Plugin plugin = loaded.get(0).plugin();
        // The test classes hold the same class, but child-first loading takes the jar's.
        assertThat(plugin.getClass().getName()).isEqualTo(GreetingPlugin.class.getName());
        assertThat(plugin.getClass()).isNotSameAs(GreetingPlugin.class);
        assertThat(plugin.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        // Its dependency came from the sibling jar, through the same loader.
        assertThat(plugin.datasets().get(0).description()).isEqualTo("Hello from greeting.");
        assertThat(loaded.get(0).source()).endsWith("greeting-plugin.jar");
    }

    @Test
    void aPluginDoesNotSeeTheClassPathSoAMissingDependencyJarIsReported() {
        TestJars.plugin().writeTo(plugins.resolve("greeting.jar")); // Greeting is on the test class path, not here

        assertThatThrownBy(() -> load(plugins))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining(plugins.resolve("greeting.jar") + ": its plugin cannot be loaded")
                .hasMessageContaining(Greeting.class.getName().replace('.', '/'));
    }

    @Test
    void aPluginCompiledAgainstAnotherMajorSpiIsRefusedNamingBothVersions() {
        Path jar = TestJars.plugin().spiVersion("9.0.0").writeTo(plugins.resolve("future/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("future/library.jar"));

        assertThatThrownBy(() -> load(plugins))
                .isInstanceOf(PluginException.class)
                .hasMessage(jar + " was compiled against plugin SPI 9.0 (Backprop-Lab-SPI-Version: 9.0.0), but this "
                        + "Backprop Lab provides SPI " + Plugin.SPI_VERSION + "; rebuild the plugin against "
                        + "org.backproplab:backprop-lab-spi " + Plugin.SPI_VERSION + ".x");
    }

    @Test
    void beforeOnePointZeroAnotherMinorSpiIsRefusedToo() {
        SpiVersion current = SpiVersion.current();
        String otherMinor = current.major() + "." + (current.minor() + 1) + ".0";
        TestJars.plugin().spiVersion(otherMinor).writeTo(plugins.resolve("next/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("next/library.jar"));

        assertThat(current.major()).as("this test is about 0.x").isZero();
        assertThatThrownBy(() -> load(plugins)).isInstanceOf(PluginException.class)
                .hasMessageContaining("compiled against plugin SPI " + current.major() + "." + (current.minor() + 1));
    }

    @Test
    void aPluginJarMustRecordItsSpiVersion() {
        Path jar = TestJars.plugin().spiVersion(null).writeTo(plugins.resolve("old/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("old/library.jar"));

        assertThatThrownBy(() -> load(plugins))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith(jar + " does not record the SPI version it was compiled against")
                .hasMessageContaining("Backprop-Lab-SPI-Version");
    }

    @Test
    void aJarWithoutAPluginIsNamedAndToldWhereDependenciesGo() {
        Path jar = TestJars.dependency().writeTo(plugins.resolve("library.jar"));

        assertThatThrownBy(() -> load(plugins))
                .isInstanceOf(PluginException.class)
                .hasMessage(jar + " holds no plugin: it has no META-INF/services/org.backproplab.spi.Plugin; a plugin's "
                        + "dependency jars go in a subdirectory together with the plugin jar");
    }

    @Test
    void aServicesFileNamingNoClassOrAMissingOneIsReported() {
        TestJars.plugin().entry(PluginLoader.SERVICES_ENTRY, "# nothing\n").writeTo(plugins.resolve("empty.jar"));
        TestJars.plugin().entry(PluginLoader.SERVICES_ENTRY, "com.example.Missing\n").writeTo(plugins.resolve("wrong.jar"));

        assertThatThrownBy(() -> load(plugins))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("2 problems with plugins:")
                .hasMessageContaining(plugins.resolve("empty.jar") + " holds no plugin: META-INF/services/"
                        + "org.backproplab.spi.Plugin names no class")
                .hasMessageContaining(plugins.resolve("wrong.jar") + ": its plugin cannot be loaded")
                .hasMessageContaining("com.example.Missing");
    }

    @Test
    void missingEmptyAndFileDirectoriesAreReportedAllAtOnce() throws IOException {
        Path missing = plugins.resolve("missing");
        Path empty = Files.createDirectory(plugins.resolve("empty"));
        Path file = Files.writeString(plugins.resolve("file.txt"), "not a directory");

        assertThatThrownBy(() -> load(missing, empty, file))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("3 problems with plugins:")
                .hasMessageContaining("plugin directory " + missing + " does not exist")
                .hasMessageContaining("plugin directory " + empty + " holds no plugin")
                .hasMessageContaining(file + " is not a directory");
    }

    @Test
    void aDirectoryGivenTwiceIsReadOnceAndOtherFilesAreIgnored() throws IOException {
        TestJars.plugin().writeTo(plugins.resolve("greeting/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("greeting/library.jar"));
        Files.writeString(plugins.resolve("README.txt"), "plugins for the lab");
        Files.createDirectory(plugins.resolve("notes"));

        assertThat(load(plugins, plugins.resolve(".").normalize(), plugins)).hasSize(1);
    }

    @Test
    void twoJarsContributingOneNameStopStartUpNamingBoth() {
        Path first = TestJars.plugin().writeTo(plugins.resolve("a/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("a/library.jar"));
        Path second = TestJars.plugin().writeTo(plugins.resolve("b/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("b/library.jar"));

        assertThatThrownBy(() -> LabModule.createInjector(new PluginDirectories(List.of(plugins))))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("dataset 'greeting' is contributed by both")
                .hasMessageContaining(first.toString())
                .hasMessageContaining(second.toString());
    }

    @Test
    void externalComponentsJoinTheClassPathOnesInTheCatalog() {
        TestJars.plugin().writeTo(plugins.resolve("greeting/greeting.jar"));
        TestJars.dependency().writeTo(plugins.resolve("greeting/library.jar"));

        var injector = LabModule.createInjector(new PluginDirectories(List.of(plugins)));

        assertThat(injector.getInstance(ComponentCatalog.class).factories(ComponentKind.DATASET)).containsKey("greeting");
        assertThat(injector.getInstance(PluginRegistry.class).owner(ComponentKind.DATASET, "greeting"))
                .hasValueSatisfying(owner -> assertThat(owner.source()).endsWith("greeting.jar"));
    }

    @Test
    void thePluginPathComesFromTheEnvironmentThenTheOptions() {
        String separator = java.io.File.pathSeparator;
        PluginDirectories directories = PluginDirectories.of(
                Map.of(PluginDirectories.ENVIRONMENT_VARIABLE, "/opt/lab/plugins" + separator + separator + " /home/me/plugins "),
                List.of(Path.of("given")));
        assertThat(directories.directories())
                .containsExactly(Path.of("/opt/lab/plugins"), Path.of("/home/me/plugins"), Path.of("given"));
        assertThat(PluginDirectories.of(Map.of(), List.of()).directories()).isEmpty();
    }
}

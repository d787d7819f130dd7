package org.backproplab.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.backproplab.core.plugin.testplugin.GreetingPlugin;
import org.backproplab.core.plugin.testplugin.dependency.Greeting;
import org.backproplab.spi.Plugin;

/** Builds plugin jars from the test plugin's compiled classes, as a plugin's build would. */
final class TestJars {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private String spiVersion = Plugin.SPI_VERSION + ".0";

    private TestJars() {}

    /** The test plugin's jar: its classes, its services file, and the SPI version in its manifest. */
    static TestJars plugin() {
        TestJars jar = new TestJars();
        jar.entries.put(PluginLoader.SERVICES_ENTRY, (GreetingPlugin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        jar.addClassesOf(GreetingPlugin.class);
        return jar;
    }

    /** The test plugin's dependency jar. */
    static TestJars dependency() {
        TestJars jar = new TestJars();
        jar.spiVersion = null;
        jar.addClassesOf(Greeting.class);
        return jar;
    }

    TestJars spiVersion(String version) {
        this.spiVersion = version;
        return this;
    }

    TestJars entry(String name, String content) {
        entries.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestJars without(String name) {
        entries.remove(name);
        return this;
    }

    Path writeTo(Path jar) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (spiVersion != null) {
            manifest.getMainAttributes().put(new Attributes.Name(Plugin.SPI_VERSION_ATTRIBUTE), spiVersion);
        }
        try {
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    /** The class and its nested and anonymous classes, from the test classes folder. */
    private void addClassesOf(Class<?> type) {
        String resource = type.getName().replace('.', '/');
        Path folder;
        try {
            folder = Path.of(type.getResource("/" + resource + ".class").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String simpleName = type.getSimpleName();
        try (var files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.equals(simpleName + ".class") || name.startsWith(simpleName + "$")) {
                    try (InputStream in = Files.newInputStream(file)) {
                        entries.put(resource.substring(0, resource.lastIndexOf('/') + 1) + name, in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

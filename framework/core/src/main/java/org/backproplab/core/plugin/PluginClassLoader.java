package org.backproplab.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one external plugin, after Trino's {@code PluginClassLoader}: the plugin sees
 * the JDK, the packages it shares with the core, and its own jars, nothing else of the core's class
 * path (not Guice, not the core, not the core's Jackson), so its dependencies cannot clash with the
 * core's and it cannot reach into the core.
 *
 * <p>Shared are the SPI and the APIs in its signatures: DJL ({@code ai.djl}), Jakarta Bean
 * Validation (the constraint annotations the core checks) and SLF4J (so the plugin logs where the
 * core does). These come from the core, so an {@code NDArray} or {@code @Positive} is one class for
 * both sides; a DJL package the core lacks (an extension such as {@code ai.djl.basicdataset}) may
 * come from the plugin's jars. Everything else is child-first: the plugin's own jars, after the JDK.
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Packages (as name prefixes) that always come from the core: the SPI itself. */
    static final List<String> CORE_ONLY_PACKAGES = List.of("org.backproplab.spi.");

    /** Packages the plugin takes from the core when the core has them. */
    static final List<String> SHARED_PACKAGES = List.of("ai.djl.", "jakarta.validation.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader core;

    /**
     * @param name names the plugin in stack traces, e.g. its jar
     * @param urls the plugin's jar and its dependency jars
     * @param core the class loader of the SPI and the shared APIs
     */
    public PluginClassLoader(String name, List<URL> urls, ClassLoader core) {
        // The parent is the platform class loader: the JDK, not the application class path.
        super(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.core = core;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (startsWithAny(name, CORE_ONLY_PACKAGES)) {
            return core.loadClass(name);
        }
        if (startsWithAny(name, SHARED_PACKAGES)) {
            try {
                return core.loadClass(name);
            } catch (ClassNotFoundException e) {
                // not the core's: the plugin may bring it
            }
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            URL resource = core.getResource(name);
            if (resource != null || isCoreOnlyResource(name)) {
                return resource;
            }
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isCoreOnlyResource(name)) {
            return core.getResources(name);
        }
        if (isSharedResource(name)) {
            Enumeration<URL> resources = core.getResources(name);
            if (resources.hasMoreElements()) {
                return resources;
            }
        }
        return super.getResources(name);
    }

    private static boolean isCoreOnlyResource(String name) {
        return startsWithAny(name.replace('/', '.'), CORE_ONLY_PACKAGES);
    }

    private static boolean isSharedResource(String name) {
        String dotted = name.replace('/', '.');
        return startsWithAny(dotted, CORE_ONLY_PACKAGES) || startsWithAny(dotted, SHARED_PACKAGES);
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

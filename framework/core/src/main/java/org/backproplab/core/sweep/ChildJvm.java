package org.backproplab.core.sweep;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A JVM started like this one, for work that needs a process of its own (PyTorch fixes its thread counts once
 * per process, and one process trains one model at a time): a sweep's workers, {@code ./lab bench step}'s runs.
 */
public final class ChildJvm {

    /** System properties passed on as they are: DJL offline mode, the project root, the MLflow executable... */
    private static final List<String> PASSED_PREFIXES = List.of("ai.djl.", "lab.");
    /** ...except the thread counts, which are the child's own. */
    private static final List<String> NOT_PASSED = List.of(
            "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads", "lab.default.threads");

    private ChildJvm() {}

    /** The java executable of this JVM. */
    public static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Memory and -XX settings of this JVM and the system properties a child needs, without the thread counts. */
    public static List<String> inheritedOptions() {
        List<String> options = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Memory and GC settings; not agents (a debugger or coverage agent would collide between processes).
            if (argument.startsWith("-Xm") || argument.startsWith("-Xss") || argument.startsWith("-XX:")) {
                options.add(argument);
            }
        }
        passedProperties().forEach((name, value) -> options.add("-D" + name + "=" + value));
        return options;
    }

    /**
     * This JVM's choice of JIT compilers ({@code -XX:TieredStopAtLevel}, which {@code ./lab} sets to the client
     * compiler only), for JVMs that take no other setting of this one: a cluster's executors, whose memory and class
     * path are the cluster's. Empty when this JVM left it at the default.
     */
    public static List<String> compilerOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-XX:TieredStopAtLevel="))
                .reduce((first, last) -> last).map(List::of).orElse(List.of());
    }

    /** The system properties of this JVM that a child needs too, by name: also what a cluster's executors get. */
    public static Map<String, String> passedProperties() {
        Properties properties = System.getProperties();
        Map<String, String> passed = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (PASSED_PREFIXES.stream().anyMatch(name::startsWith) && !NOT_PASSED.contains(name)) {
                passed.put(name, properties.getProperty(name));
            }
        }
        return passed;
    }
}

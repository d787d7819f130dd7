package org.backproplab.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.backproplab.core.sweep.ClusterExecutor;
import org.backproplab.core.training.UserFacingException;

/**
 * {@code --executor spark}: each trial is a Spark task on an executor that has the cores of one trial
 * ({@code spark.task.cpus} = {@code spark.executor.cores}, since DJL allows one gradient collector per JVM).
 * The executors stay for the whole sweep, so PyTorch and the datasets are loaded once per executor JVM.
 */
public final class SparkTrialExecutor implements ClusterExecutor {

    /** Where executors find the project's classes; else the directory of this module's jar (target/lib). */
    static final String CLASS_PATH_PROPERTY = "lab.spark.executor.classpath";
    static final String CORES = "spark.executor.cores";
    static final String TASK_CPUS = "spark.task.cpus";
    static final String MAX_FAILURES = "spark.task.maxFailures";
    /** Spark's default, plus MLflow's variables should a user put one in the settings. */
    static final String REDACTION = "(?i)secret|password|token|access[.]?key|mlflow";
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** What Spark's own launcher gives a driver JVM on Java 17 (JavaModuleOptions), as ./lab does for Spark. */
    static final List<String> JAVA_MODULE_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Cluster open(Settings settings, PrintStream out) {
        String master = settings.remote().master();
        checkReachable(master);
        SparkConf conf = conf(settings);
        out.println("Starting Spark on " + master + " ...");
        long start = System.nanoTime();
        JavaSparkContext context;
        try {
            context = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new UserFacingException("Spark could not start on " + master + ": " + e.getMessage());
        }
        int cores = Integer.parseInt(conf.get(CORES));
        int maxFailures = conf.getInt(MAX_FAILURES, 1);
        out.printf(java.util.Locale.ROOT, "Spark application %s started in %.1f s; Spark UI: %s%n",
                context.sc().applicationId(), (System.nanoTime() - start) / 1e9,
                context.sc().uiWebUrl().getOrElse(() -> "off"));
        return new SparkCluster(context, master, cores, maxFailures);
    }

    /** The application's settings: the user's, and those that make one executor train one trial. */
    static SparkConf conf(Settings settings) {
        Map<String, String> user = settings.remote().conf();
        SparkConf conf = new SparkConf(false).setMaster(settings.remote().master()).setAppName(settings.appName());
        conf.set("spark.redaction.regex", REDACTION);
        conf.set(MAX_FAILURES, "1");
        user.forEach(conf::set);
        // local[N] runs tasks as threads of this JVM: one at a time, with all N threads (one gradient collector).
        String cores = user.getOrDefault(CORES, Integer.toString(localThreads(settings.remote().master())));
        if (user.containsKey(TASK_CPUS) && !user.get(TASK_CPUS).equals(cores)) {
            throw new UserFacingException("sweep.executor.conf: " + TASK_CPUS + " must equal " + CORES + " (" + cores
                    + "): DJL trains one trial per JVM, so an executor runs one trial at a time, got "
                    + user.get(TASK_CPUS));
        }
        conf.set(CORES, cores).set(TASK_CPUS, cores);
        if (!user.containsKey("spark.executor.extraClassPath")) {
            conf.set("spark.executor.extraClassPath", executorClassPath());
        }
        // Spark adds its Java 17 module options to executors itself (SparkContext.supplementJavaModuleOptions).
        List<String> javaOptions = new ArrayList<>(settings.jvmOptions());
        settings.systemProperties().forEach((name, value) -> javaOptions.add("-D" + name + "=" + value));
        javaOptions.addAll(List.of("-Dai.djl.pytorch.num_threads=" + cores, "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dlab.default.threads=" + cores));
        String userOptions = user.get("spark.executor.extraJavaOptions");
        conf.set("spark.executor.extraJavaOptions", String.join(" ", javaOptions)
                + (userOptions == null ? "" : " " + userOptions));
        settings.environment().forEach((name, value) -> conf.setIfMissing("spark.executorEnv." + name, value));
        return conf;
    }

    /** The threads of a {@code local[N]} master; 1 for any other (a cluster's executor gets one core by default). */
    static int localThreads(String master) {
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?").matcher(master);
        if (!local.matches() || local.group(1) == null) {
            return 1;
        }
        return local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(1));
    }

    /** The project's jars for executors that share this machine's file system (or have the project at the same path). */
    static String executorClassPath() {
        String configured = System.getProperty(CLASS_PATH_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            Path location = Path.of(SparkTrialExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? location.getParent().resolve("*").toString() : location.toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A standalone master that does not answer would make Spark retry for a minute: say so at once. */
    private static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return; // local[N], yarn, k8s://...: Spark itself reports those
        }
        String failure = null;
        for (String address : master.substring("spark://".length()).split(",")) {
            URI uri = URI.create("spark://" + address);
            if (uri.getHost() == null) {
                throw new UserFacingException("not a Spark master address: " + master + " (e.g. spark://host:7077)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 7077 : uri.getPort()),
                        CONNECT_TIMEOUT_MS);
                return; // one master of a highly available set answers
            } catch (IOException e) {
                failure = address + ": " + e.getMessage();
            }
        }
        throw new UserFacingException("cannot reach the Spark master " + master + " (" + failure + ")");
    }
}

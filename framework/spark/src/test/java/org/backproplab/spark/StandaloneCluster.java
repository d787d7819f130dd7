package org.backproplab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on loopback for the whole test JVM: a master and two workers of one core each,
 * started from the Spark distribution that {@code ./lab setup} installs ({@code pyspark} in .lab/spark-venv),
 * on free ports; ready once the master's {@code /json/} lists both workers ALIVE. Stopped when the JVM ends.
 */
final class StandaloneCluster {

    static final int WORKERS = 2;
    private static final long READY_SECONDS = 600; // three JVMs on a loaded 2-core machine: 1 to 5 minutes measured
    private static StandaloneCluster shared;

    final String masterUrl;
    final Path directory;
    final Path workDirectory;
    final Path eventLogDirectory;
    /** Seconds from starting the master to both workers registered. */
    final double startSeconds;
    private final String masterUi;
    private final List<Process> processes = new ArrayList<>();

    private StandaloneCluster() throws IOException, InterruptedException {
        Path sparkHome = sparkHome();
        directory = Files.createTempDirectory("lab-spark-cluster");
        workDirectory = Files.createDirectories(directory.resolve("work"));
        eventLogDirectory = Files.createDirectories(directory.resolve("events"));
        int port = freePort();
        int uiPort = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        masterUi = "http://127.0.0.1:" + uiPort;
        long start = System.nanoTime();
        start(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(uiPort));
        for (int worker = 1; worker <= WORKERS; worker++) {
            start(sparkHome, "worker" + worker, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", workDirectory.toString(), masterUrl);
        }
        awaitWorkers();
        startSeconds = (System.nanoTime() - start) / 1e9;
    }

    static synchronized StandaloneCluster shared() {
        if (shared == null) {
            try {
                shared = new StandaloneCluster();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /**
     * The settings a sweep on this cluster needs: a driver on loopback, and an event log to inspect, in plain text
     * (Spark 4 compresses it by default, and a search of compressed bytes for a secret would find nothing).
     */
    String executorSection() {
        return """
                  executor:
                    type: spark
                    master: MASTER
                    conf:
                      spark.driver.host: 127.0.0.1
                      spark.driver.bindAddress: 127.0.0.1
                      spark.ui.showConsoleProgress: "false"
                      spark.eventLog.enabled: "true"
                      spark.eventLog.compress: "false"
                      spark.eventLog.dir: EVENTS
                """.replace("MASTER", masterUrl).replace("EVENTS", eventLogDirectory.toUri().toString());
    }

    /** The events of application {@code appId} as its event log has them, in order; fails if it has none. */
    List<JsonNode> events(String appId) {
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(eventLogDirectory)) {
            // A rolling log (eventlog_v2_APP/events_N_APP) or a single file named by the application.
            List<Path> logs = files.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().matches("(events_\\d+_)?" + appId + "(\\.inprogress)?"))
                    .sorted(java.util.Comparator.comparingInt(StandaloneCluster::logIndex)).toList();
            assertThat(logs).as("event log files of %s in %s", appId, eventLogDirectory).isNotEmpty();
            for (Path log : logs) {
                for (String line : Files.readAllLines(log)) {
                    events.add(json.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    private static int logIndex(Path log) {
        java.util.regex.Matcher index = java.util.regex.Pattern.compile("^events_(\\d+)_").matcher(log.getFileName().toString());
        return index.find() ? Integer.parseInt(index.group(1)) : 0;
    }

    /** The master's view: workers, applications and their executors. */
    JsonNode masterJson() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(masterUi + "/json/")).build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitWorkers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (true) {
            for (Process process : processes) {
                assertThat(process.isAlive()).as("Spark process %s alive (logs in %s)", process.info().commandLine()
                        .orElse("?"), directory).isTrue();
            }
            try {
                if (masterJson().path("aliveworkers").asInt() == WORKERS) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // the master's UI is not up yet
            }
            assertThat(System.nanoTime()).as("%d workers registered with %s within %d s (logs in %s)", WORKERS,
                    masterUrl, READY_SECONDS, directory).isLessThan(deadline);
            Thread.sleep(200); // a bounded poll of the condition above
        }
    }

    private void start(Path sparkHome, String name, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), mainClass));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("SPARK_LOG_DIR", directory.toString());
        processes.add(builder.start());
    }

    /** Kills every executor JVM (the workers' children). */
    void killExecutors() {
        processes.forEach(process -> process.descendants().forEach(ProcessHandle::destroyForcibly));
    }

    /** Executors first (children of the workers), then workers and master. */
    void stop() {
        List<Process> newestFirst = new ArrayList<>(processes);
        java.util.Collections.reverse(newestFirst);
        for (Process process : newestFirst) {
            Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static Path sparkHome() throws IOException {
        Path venv = Path.of(System.getProperty("lab.spark.venv", ".lab/spark-venv"));
        Path lib = venv.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> pythons = Files.list(lib)) {
                for (Path python : pythons.toList()) {
                    Path pyspark = python.resolve("site-packages/pyspark");
                    if (Files.isExecutable(pyspark.resolve("bin/spark-class"))) {
                        return pyspark;
                    }
                }
            }
        }
        throw new IllegalStateException("no Spark distribution in " + venv + ": ./lab setup installs it");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.backproplab.core.tracking;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local {@code mlflow server} child process on 127.0.0.1, with a SQLite store and served artifacts in one
 * directory: the default tracking target when none is configured, and the server of integration tests.
 * {@link #close()} (or, failing that, a JVM shutdown hook) stops its whole process tree.
 */
public final class MlflowServer implements AutoCloseable {

    public static final String EXECUTABLE_PROPERTY = "lab.mlflow.executable";
    public static final String EXECUTABLE_VARIABLE = "LAB_MLFLOW";
    public static final String PROJECT_ROOT_PROPERTY = "lab.project.root";
    static final Path VENV_EXECUTABLE = Path.of(".lab", "mlflow-venv", "bin", "mlflow");

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
    private static final Duration FORCED_STOP = Duration.ofSeconds(5);
    private static final int LOG_LINES_IN_ERRORS = 25;
    private static final int PORT_ATTEMPTS = 3;

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private static final Logger LOG = LoggerFactory.getLogger(MlflowServer.class);

    private final Process process;
    private final int port;
    private final Path storeDirectory;
    private final Runnable unregisterShutdown;
    private boolean closed;
    private volatile boolean stoppedByShutdown;
    private volatile boolean starting = true;

    private MlflowServer(Process process, int port, Path storeDirectory) {
        this.process = process;
        this.port = port;
        this.storeDirectory = storeDirectory;
        // Stopped at JVM exit after runs are marked KILLED, which needs the server still up.
        this.unregisterShutdown = OrderedShutdown.atClose(this::stopAtShutdown);
    }

    /**
     * The pinned {@code mlflow} executable: system property {@code lab.mlflow.executable}, else environment
     * variable {@code LAB_MLFLOW}, else {@code .lab/mlflow-venv/bin/mlflow} under the project root (system
     * property {@code lab.project.root}, else the current directory).
     *
     * @throws TrackingException if that file does not exist
     */
    public static Path defaultExecutable() {
        return defaultExecutable(System::getProperty, System.getenv());
    }

    static Path defaultExecutable(UnaryOperator<String> systemProperties, Map<String, String> env) {
        String configured = systemProperties.apply(EXECUTABLE_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = env.get(EXECUTABLE_VARIABLE);
        }
        Path executable;
        if (configured != null && !configured.isBlank()) {
            executable = Path.of(configured);
        } else {
            String root = systemProperties.apply(PROJECT_ROOT_PROPERTY);
            executable = Path.of(root == null || root.isBlank() ? "." : root).resolve(VENV_EXECUTABLE);
        }
        executable = executable.toAbsolutePath().normalize();
        if (!Files.isRegularFile(executable)) {
            throw new TrackingException("MLflow is not installed: " + executable + " does not exist. Run ./lab setup"
                    + " to install the pinned MLflow, or point -D" + EXECUTABLE_PROPERTY + " or " + EXECUTABLE_VARIABLE
                    + " to an mlflow executable.");
        }
        return executable;
    }

    /**
     * Starts {@code mlflow server} and waits until it answers {@code GET /health}.
     *
     * @param storeDirectory holds {@code mlflow.db}, {@code artifacts/} and {@code server.log}; created if missing
     * @param port the port on 127.0.0.1; 0 picks a free one
     * @throws TrackingException if the server exits or is not ready within 120 s; the message ends with the last
     *     lines of {@code server.log}
     */
    public static MlflowServer start(Path mlflowExecutable, Path storeDirectory, int port) {
        if (!Files.isExecutable(mlflowExecutable)) {
            throw new TrackingException("Cannot start the MLflow server: " + mlflowExecutable + " is not an executable"
                    + " file. Run ./lab setup to install the pinned MLflow.");
        }
        Path store = storeDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(store.resolve("artifacts"));
        } catch (IOException e) {
            throw new TrackingException("Cannot create the MLflow store directory " + store + ": " + e.getMessage(), e);
        }
        if (port != 0) {
            // Else another server already on the port could answer /health in place of ours.
            requireFreePort(port);
        }
        for (int attempt = 1; ; attempt++) {
            int chosenPort = port == 0 ? freeLoopbackPort() : port;
            try {
                return startOnPort(mlflowExecutable, store, chosenPort);
            } catch (PortTakenException e) {
                // A free port picked here can be taken by someone else before mlflow binds it: pick another.
                if (port != 0 || attempt == PORT_ATTEMPTS) {
                    throw new TrackingException(e.getMessage());
                }
                LOG.debug("Port {} was taken before the MLflow server could bind it; trying another", chosenPort);
            }
        }
    }

    /**
     * Lets the server outlive this JVM: no shutdown hook stops it any more (the lasting local server, see
     * {@link LocalMlflowServer}). Call it once the server answers; a Ctrl-C before that still stops it.
     */
    public synchronized MlflowServer detach() {
        closed = true;
        unregisterShutdown.run();
        return this;
    }

    /** The server's address, {@code http://127.0.0.1:PORT}. */
    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The id of the {@code mlflow server} process, the root of the process tree. */
    public long pid() {
        return process.pid();
    }

    public Path storeDirectory() {
        return storeDirectory;
    }

    public Path logFile() {
        return storeDirectory.resolve("server.log");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server and every process it started (uvicorn/gunicorn workers). Later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        unregisterShutdown.run();
        stopProcessTree();
    }

    @Override
    public String toString() {
        return "MlflowServer[" + uri() + ", store " + storeDirectory + "]";
    }

    static MlflowServer startOnPort(Path executable, Path store, int port) {
        Path log = store.resolve("server.log");
        List<String> command = new java.util.ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // Its own session: Ctrl-C in the terminal reaches ./lab, which marks its runs KILLED, and not
            // the server, which must outlive that.
            command.add(SETSID.toString());
        }
        command.addAll(List.of(
                        executable.toString(), "server",
                        "--host", "127.0.0.1",
                        "--port", Integer.toString(port),
                        "--backend-store-uri", backendStoreUri(store),
                        "--serve-artifacts",
                        "--artifacts-destination", store.resolve("artifacts").toString(),
                        "--workers", "1"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(store.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The job runner (GenAI evaluation jobs) adds half a dozen Python processes that training never uses.
        builder.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new TrackingException("Cannot start " + executable + ": " + e.getMessage(), e);
        }
        MlflowServer server = new MlflowServer(process, port, store);
        try {
            server.awaitHealthy();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("MLflow server ready at {} (store {}) after {} ms", server.uri(), store,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return server;
    }

    private void stopAtShutdown() {
        stoppedByShutdown = true;
        if (starting) {
            // The command's own error path may not get to print before the JVM halts: say it here.
            System.err.println("Interrupted while the MLflow server was starting: stopped it; nothing was logged.");
        }
        stopProcessTree();
    }

    private void awaitHealthy() {
        try {
            awaitHealthyUntilDeadline();
        } finally {
            starting = false;
        }
    }

    private void awaitHealthyUntilDeadline() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (stoppedByShutdown) {
                throw new StartupInterruptedException();
            }
            if (!process.isAlive()) {
                if (stoppedByShutdown) {
                    throw new StartupInterruptedException();
                }
                String logTail = logTail();
                if (logTail.contains("already in use") && !logTail.contains("Uvicorn running")) {
                    throw new PortTakenException("MLflow server could not listen on port " + port
                            + ": it is already in use.");
                }
                throw new TrackingException("MLflow server exited with code " + process.exitValue()
                        + " while starting. Last lines of " + logFile() + ":\n" + logTail);
            }
            if (answersHealth(port)) {
                return;
            }
            sleep(POLL_INTERVAL);
        }
        throw new TrackingException("MLflow server did not answer " + uri() + "/health within "
                + STARTUP_TIMEOUT.toSeconds() + " s. Last lines of " + logFile() + ":\n" + logTail());
    }

    /** Whether a server on 127.0.0.1:{@code port} answers {@code GET /health} with 200 within a few seconds. */
    static boolean answersHealth(int port) {
        FreshConnections.beforeFirstClient();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening (yet): still starting, database migrations take several seconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupInterruptedException();
        }
    }

    private void stopProcessTree() {
        stopProcessTree(process.toHandle());
    }

    /** Asks every process of the tree to stop, then kills what is left. The tree is read first: orphans escape it. */
    static void stopProcessTree(ProcessHandle root) {
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root))
                .collect(Collectors.toList());
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> survivors = awaitExit(tree, GRACEFUL_STOP);
        if (!survivors.isEmpty()) {
            LOG.warn("MLflow server processes {} ignored the stop request; killing them", pids(survivors));
            survivors.forEach(ProcessHandle::destroyForcibly);
            survivors = awaitExit(survivors, FORCED_STOP);
            if (!survivors.isEmpty()) {
                LOG.warn("MLflow server processes {} are still running", pids(survivors));
            }
        }
    }

    private static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration timeout) {
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the survivors are listed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return processes.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    private static String pids(List<ProcessHandle> processes) {
        return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TrackingException("Cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** The {@code --backend-store-uri} of a server on {@code store} (absolute and normalized). */
    static String backendStoreUri(Path store) {
        return "sqlite:///" + store.toAbsolutePath().normalize().resolve("mlflow.db");
    }

    /** Whether nothing listens on 127.0.0.1:{@code port} (so a server could bind it now). */
    static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new TrackingException("Cannot start the MLflow server on port " + port + ": the port is in use ("
                    + e.getMessage() + ").");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupInterruptedException();
        }
    }

    /** Ctrl-C (or SIGTERM) arrived while the server was starting; the server was stopped. Exit code 130. */
    public static final class StartupInterruptedException extends TrackingException {
        private static final long serialVersionUID = 1L;

        StartupInterruptedException() {
            super("Interrupted while the MLflow server was starting: stopped it; nothing was logged.");
        }
    }

    /** The server could not bind its port; another may work. */
    private static final class PortTakenException extends TrackingException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }
}

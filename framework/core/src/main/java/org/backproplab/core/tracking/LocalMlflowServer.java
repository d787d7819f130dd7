package org.backproplab.core.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's lasting local MLflow server: started in the background by the first command that needs it, on a
 * fixed port (5000 unless configured), with the store {@code reports/mlflow}, and reused by every later command,
 * so the links they print keep working after they exit. {@code ./lab server stop} ends it.
 *
 * <p>Where it runs is recorded in {@code .lab/mlflow-server.json} (pid, port, store). That file is only trusted when
 * the pid is alive and is an {@code mlflow server} of this store on that port, and the port answers
 * {@code /health}; a stale file is replaced. Start-up happens under a file lock ({@code .lab/mlflow-server.lock}),
 * so commands started at once end up with one server.
 */
public final class LocalMlflowServer {

    public static final int DEFAULT_PORT = 5000;
    public static final String PORT_VARIABLE = "LAB_MLFLOW_PORT";
    public static final String PORT_PROPERTY = "lab.mlflow.port";
    /** Ports tried from the default one on when it is taken by another program. */
    static final int PORTS_TRIED = 10;
    /** How long a recorded server may take to answer /health before it counts as hung. */
    private static final int HEALTH_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(LocalMlflowServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    // FileChannel locks are per JVM: threads of one JVM queue here first.
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final Path stateFile;
    private final Path lockFile;
    private final Path store;

    /** A running local server. {@code startedNow}: this call started it. */
    public record Running(long pid, int port, Path store, boolean startedNow) {
        /** {@code http://127.0.0.1:PORT}. */
        public String uri() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** The port to start on, and whether the user chose it (then it is not swapped for a free one). */
    public record PortChoice(int port, boolean explicit, String source) {}

    /** What {@code .lab/mlflow-server.json} holds. */
    record State(long pid, int port, String store, String started) {}

    /**
     * @param stateDirectory where the pid/port file and the lock live ({@code .lab/} of the project)
     * @param store the MLflow store directory ({@code reports/mlflow})
     */
    public LocalMlflowServer(Path stateDirectory, Path store) {
        Path directory = stateDirectory.toAbsolutePath().normalize();
        this.stateFile = directory.resolve("mlflow-server.json");
        this.lockFile = directory.resolve("mlflow-server.lock");
        this.store = store.toAbsolutePath().normalize();
    }

    /** The server of the project at {@code root}: state in {@code root/.lab}, store {@code root/reports/mlflow}. */
    public static LocalMlflowServer ofProject(Path root) {
        return new LocalMlflowServer(root.resolve(".lab"), root.resolve("reports").resolve("mlflow"));
    }

    public Path store() {
        return store;
    }

    public Path stateFile() {
        return stateFile;
    }

    /**
     * The port: {@code option} (a command's {@code --port}) if given, else {@code LAB_MLFLOW_PORT}, else the system
     * property {@code lab.mlflow.port}, else 5000.
     *
     * @throws TrackingException if the chosen value is not a port number
     */
    public static PortChoice portChoice(Integer option, Map<String, String> env, UnaryOperator<String> properties) {
        if (option != null) {
            return new PortChoice(checkedPort(option, "--port"), true, "--port");
        }
        for (String[] source : List.of(new String[] {env.get(PORT_VARIABLE), PORT_VARIABLE},
                new String[] {properties.apply(PORT_PROPERTY), "-D" + PORT_PROPERTY})) {
            if (source[0] != null && !source[0].isBlank()) {
                try {
                    return new PortChoice(checkedPort(Integer.parseInt(source[0].trim()), source[1]), true, source[1]);
                } catch (NumberFormatException e) {
                    throw new TrackingException(source[1] + " must be a port number from 1 to 65535, got '"
                            + source[0] + "'");
                }
            }
        }
        return new PortChoice(DEFAULT_PORT, false, "default");
    }

    private static int checkedPort(int port, String source) {
        if (port < 1 || port > 65535) {
            throw new TrackingException(source + " must be a port number from 1 to 65535, got " + port);
        }
        return port;
    }

    /** The running server of this store, if any (it answers /health). */
    public Optional<Running> find(Consumer<String> notes) {
        return locked(notes, () -> {
            Optional<State> found = locate(notes);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            requireHealthy(found.get());
            return Optional.of(running(found.get(), false));
        });
    }

    /**
     * The running server of this store, started in the background first if there is none. It outlives this JVM.
     *
     * @param notes receives what the user should know (starting, a port taken, a stale pid file, waiting for another
     *     command that is starting it)
     * @throws TrackingException if it cannot start, or the chosen port is taken by another program
     */
    public Running ensureRunning(Path executable, PortChoice port, Consumer<String> notes) {
        return locked(notes, () -> {
            Optional<State> found = locate(notes);
            if (found.isPresent()) {
                requireHealthy(found.get());
                return running(found.get(), false);
            }
            int chosen = freePort(port, notes);
            notes.accept("Starting the local MLflow server on " + store + " at http://127.0.0.1:" + chosen
                    + " (it keeps running for later runs and ./lab ui; ./lab server stop ends it) ...");
            MlflowServer server = MlflowServer.start(executable, store, chosen).detach();
            State state = new State(server.pid(), chosen, store.toString(), Instant.now().toString());
            write(state);
            LOG.info("Local MLflow server pid {} recorded in {}", server.pid(), stateFile);
            return running(state, true);
        });
    }

    /** Stops the running server of this store; empty if none was running. */
    public Optional<Running> stop(Consumer<String> notes) {
        return locked(notes, () -> {
            Optional<State> found = locate(notes);
            found.ifPresent(state -> stopProcessGroup(state.pid()));
            deleteState();
            return found.map(state -> running(state, false));
        });
    }

    /**
     * Stops the server and its workers: its process tree, then whatever is left of its process group (it leads one:
     * it was started with setsid), so no uvicorn worker outlives it.
     */
    private static void stopProcessGroup(long pid) {
        ProcessHandle.of(pid).ifPresent(MlflowServer::stopProcessTree);
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("kill of process group {}: {}", pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Running running(State state, boolean startedNow) {
        return new Running(state.pid(), state.port(), store, startedNow);
    }

    /**
     * The server of this store: the recorded one if it still is one, else an {@code mlflow server} process of this
     * store found among all processes (the pid file was lost), whose record is then rewritten.
     */
    private Optional<State> locate(Consumer<String> notes) {
        Optional<State> recorded = read(notes);
        if (recorded.isPresent() && servesThisStore(recorded.get().pid(), recorded.get().port())) {
            return recorded;
        }
        recorded.ifPresent(stale -> {
            notes.accept("Removed the stale " + stateFile + ": pid " + stale.pid()
                    + " is no longer this project's MLflow server.");
            deleteState();
        });
        Optional<State> adopted = processIds().stream()
                .map(this::stateOf)
                .flatMap(Optional::stream)
                .findFirst();
        adopted.ifPresent(state -> {
            LOG.info("Found the local MLflow server of {} running as pid {} on port {}", store, state.pid(), state.port());
            write(state);
        });
        return adopted;
    }

    /** The state of process {@code pid} if it is an {@code mlflow server} of this store, from its command line. */
    private Optional<State> stateOf(long pid) {
        List<String> arguments = commandLine(pid);
        int portIndex = arguments.indexOf("--port");
        if (!isServerOfThisStore(arguments) || portIndex < 0 || portIndex + 1 >= arguments.size()) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(arguments.get(portIndex + 1));
            return Optional.of(new State(pid, port, store.toString(), null));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean servesThisStore(long pid, int port) {
        List<String> arguments = commandLine(pid);
        int portIndex = arguments.indexOf("--port");
        return isServerOfThisStore(arguments) && portIndex >= 0 && portIndex + 1 < arguments.size()
                && arguments.get(portIndex + 1).equals(Integer.toString(port));
    }

    private boolean isServerOfThisStore(List<String> arguments) {
        return arguments.contains("server") && arguments.contains(MlflowServer.backendStoreUri(store));
    }

    /** Every process id, from /proc (not ProcessHandle, whose view depends on start times a restored VM gets wrong). */
    private static List<Long> processIds() {
        try (java.util.stream.Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(entry -> entry.getFileName().toString()).filter(name -> name.matches("\\d+"))
                    .map(Long::valueOf).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The arguments of a live process, from /proc (empty when it is gone or not readable). */
    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private void requireHealthy(State state) {
        for (int attempt = 1; attempt <= HEALTH_ATTEMPTS; attempt++) {
            if (MlflowServer.answersHealth(state.port())) {
                return;
            }
        }
        throw new TrackingException("The local MLflow server (pid " + state.pid() + ", http://127.0.0.1:" + state.port()
                + ") is running but does not answer /health. Restart it: ./lab server stop, then run again"
                + " (its log: " + store.resolve("server.log") + ").");
    }

    private int freePort(PortChoice choice, Consumer<String> notes) {
        if (MlflowServer.portFree(choice.port())) {
            return choice.port();
        }
        if (choice.explicit()) {
            throw new TrackingException("Cannot start the local MLflow server on port " + choice.port() + " (from "
                    + choice.source() + "): the port is in use by another program, not by the MLflow server of "
                    + store + ". Choose a free port, e.g. " + PORT_VARIABLE + "=" + (choice.port() + 1) + ".");
        }
        for (int port = choice.port() + 1; port < choice.port() + PORTS_TRIED; port++) {
            if (MlflowServer.portFree(port)) {
                notes.accept("Port " + choice.port() + " is in use by another program (not the MLflow server of "
                        + store + "): the local server uses port " + port + " instead (" + PORT_VARIABLE
                        + " chooses one).");
                return port;
            }
        }
        throw new TrackingException("Cannot start the local MLflow server: ports " + choice.port() + " to "
                + (choice.port() + PORTS_TRIED - 1) + " are all in use. Choose a free port with " + PORT_VARIABLE + ".");
    }

    private Optional<State> read(Consumer<String> notes) {
        if (!Files.isRegularFile(stateFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(stateFile.toFile(), State.class));
        } catch (IOException e) {
            notes.accept("Removed the unreadable " + stateFile + " (" + e.getMessage() + ").");
            deleteState();
            return Optional.empty();
        }
    }

    private void write(State state) {
        try {
            Files.createDirectories(stateFile.getParent());
            Path temporary = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            JSON.writeValue(temporary.toFile(), state);
            try {
                Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new TrackingException("Cannot write " + stateFile + ": " + e.getMessage(), e);
        }
    }

    private void deleteState() {
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", stateFile, e.getMessage());
        }
    }

    private interface LockedAction<T> {
        T run();
    }

    /** Runs {@code action} holding the start-up lock: one command at a time looks at or starts the server. */
    private <T> T locked(Consumer<String> notes, LockedAction<T> action) {
        IN_PROCESS.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    notes.accept("Waiting for another ./lab command that is starting the local MLflow server ...");
                    lock = channel.lock();
                }
                try {
                    return action.run();
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new TrackingException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }
}

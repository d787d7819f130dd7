package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lasting local server, with the real pinned MLflow on free loopback ports. */
class LocalMlflowServerTest {

    @TempDir
    Path directory;

    private final List<String> notes = new CopyOnWriteArrayList<>();
    private LocalMlflowServer local;

    @AfterEach
    void stopWhatWasStarted() {
        if (local != null) {
            local.stop(notes::add); // the test's own server never outlives it
        }
    }

    @Test
    void commandsStartingAtOnceShareOneServerThatIsFoundAgainAndStopped() throws Exception {
        local = new LocalMlflowServer(directory.resolve(".lab"), directory.resolve("store"));
        LocalMlflowServer.PortChoice port = new LocalMlflowServer.PortChoice(freePort(), true, "test");

        ExecutorService threads = Executors.newFixedThreadPool(2);
        LocalMlflowServer.Running a;
        LocalMlflowServer.Running b;
        try {
            Future<LocalMlflowServer.Running> first = threads.submit(
                    () -> local.ensureRunning(MlflowServer.defaultExecutable(), port, notes::add));
            Future<LocalMlflowServer.Running> second = threads.submit(
                    () -> local.ensureRunning(MlflowServer.defaultExecutable(), port, notes::add));
            a = first.get(3, TimeUnit.MINUTES);
            b = second.get(3, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }

        assertThat(a.pid()).isEqualTo(b.pid());
        assertThat(a.startedNow() ^ b.startedNow()).as("exactly one of them started it").isTrue();
        assertThat(notes.stream().filter(note -> note.startsWith("Starting the local MLflow server"))).hasSize(1);
        assertThat(a.port()).isEqualTo(port.port());
        assertThat(MlflowServer.answersHealth(a.port())).isTrue();
        assertThat(local.stateFile()).content().contains("\"pid\" : " + a.pid()).contains("\"port\" : " + a.port());

        // The pid file lost: the running server of this store is found among the processes, not started twice.
        Files.delete(local.stateFile());
        assertThat(local.find(notes::add)).map(LocalMlflowServer.Running::pid).contains(a.pid());
        assertThat(local.stateFile()).exists();
        // Another store's server is not this one.
        LocalMlflowServer other = new LocalMlflowServer(directory.resolve("other/.lab"), directory.resolve("other/store"));
        assertThat(other.find(notes::add)).isEmpty();

        Optional<LocalMlflowServer.Running> stopped = local.stop(notes::add);
        assertThat(stopped).map(LocalMlflowServer.Running::pid).contains(a.pid());
        assertThat(ProcessHandle.of(a.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(local.stateFile()).doesNotExist();
        assertThat(local.find(notes::add)).isEmpty();
        assertThat(local.stop(notes::add)).isEmpty();
    }

    @Test
    void aStalePidFileAndADefaultPortTakenByAnotherProgramAreSaidAndWorkedAround() throws Exception {
        local = new LocalMlflowServer(directory.resolve(".lab"), directory.resolve("store"));
        Files.createDirectories(directory.resolve(".lab"));
        long deadPid = deadPid();
        Files.writeString(local.stateFile(), "{\"pid\": " + deadPid + ", \"port\": 1, \"store\": \"x\", \"started\": null}");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalMlflowServer.PortChoice port = new LocalMlflowServer.PortChoice(taken.getLocalPort(), false, "default");

            LocalMlflowServer.Running running = local.ensureRunning(MlflowServer.defaultExecutable(), port, notes::add);

            assertThat(running.port()).isNotEqualTo(taken.getLocalPort());
            assertThat(running.port()).isBetween(taken.getLocalPort() + 1,
                    taken.getLocalPort() + LocalMlflowServer.PORTS_TRIED - 1);
            assertThat(notes).anyMatch(note -> note.contains("stale") && note.contains("pid " + deadPid));
            assertThat(notes).anyMatch(note -> note.contains("Port " + taken.getLocalPort() + " is in use by another"
                    + " program") && note.contains("uses port " + running.port()));
        }
    }

    @Test
    void aChosenPortTakenByAnotherProgramIsRefusedWithoutStartingAnything() throws IOException {
        local = new LocalMlflowServer(directory.resolve(".lab"), directory.resolve("store"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalMlflowServer.PortChoice port = new LocalMlflowServer.PortChoice(taken.getLocalPort(), true,
                    LocalMlflowServer.PORT_VARIABLE);

            assertThatThrownBy(() -> local.ensureRunning(MlflowServer.defaultExecutable(), port, notes::add))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " (from LAB_MLFLOW_PORT)")
                    .hasMessageContaining("in use by another program");
        }
        assertThat(local.stateFile()).doesNotExist();
    }

    @Test
    void thePortComesFromTheOptionThenTheEnvironmentThenTheProperty() {
        assertThat(LocalMlflowServer.portChoice(6001, java.util.Map.of("LAB_MLFLOW_PORT", "6002"), key -> "6003"))
                .isEqualTo(new LocalMlflowServer.PortChoice(6001, true, "--port"));
        assertThat(LocalMlflowServer.portChoice(null, java.util.Map.of("LAB_MLFLOW_PORT", "6002"), key -> "6003").port())
                .isEqualTo(6002);
        assertThat(LocalMlflowServer.portChoice(null, java.util.Map.of(), key -> "6003").port()).isEqualTo(6003);
        assertThat(LocalMlflowServer.portChoice(null, java.util.Map.of(), key -> null))
                .isEqualTo(new LocalMlflowServer.PortChoice(5000, false, "default"));
        assertThatThrownBy(() -> LocalMlflowServer.portChoice(null, java.util.Map.of("LAB_MLFLOW_PORT", "http"), key -> null))
                .isInstanceOf(TrackingException.class).hasMessageContaining("LAB_MLFLOW_PORT must be a port number");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}

package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowServerTest {

    @TempDir
    Path directory;

    @Test
    void startsServesAndLeavesNoProcessBehind() throws Exception {
        List<ProcessHandle> tree;
        MlflowServer server = MlflowServer.start(MlflowServer.defaultExecutable(), directory.resolve("store"), 0);
        try {
            assertThat(server.uri()).isEqualTo("http://127.0.0.1:" + server.port());
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(directory.resolve("store/mlflow.db")).exists();
            assertThat(directory.resolve("store/server.log")).exists();
            tree = ProcessHandle.of(server.pid()).orElseThrow().descendants().collect(Collectors.toList());
            assertThat(tree).as("uvicorn runs as a child of mlflow").isNotEmpty();
        } finally {
            server.close();
        }

        assertThat(server.isAlive()).isFalse();
        assertThat(ProcessHandle.of(server.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        server.close(); // a second close does nothing
    }

    @Test
    void aServerThatDiesWhileStartingIsReportedWithItsLog() throws IOException {
        Path fake = directory.resolve("mlflow");
        Files.writeString(fake, "#!/bin/sh\necho 'Error: no such option: --bogus'\nexit 2\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> MlflowServer.start(fake, directory.resolve("store"), 0))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("exited with code 2")
                .hasMessageContaining("Error: no such option: --bogus")
                .hasMessageContaining("server.log");
    }

    @Test
    void aPortInUseIsRefusedBeforeStarting() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> MlflowServer.start(MlflowServer.defaultExecutable(), directory, taken.getLocalPort()))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageContaining("port " + taken.getLocalPort());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void defaultExecutableIsFoundUnderTheProjectRoot() {
        Path expected = Path.of(System.getProperty("lab.project.root"), ".lab/mlflow-venv/bin/mlflow");

        assertThat(MlflowServer.defaultExecutable()).isEqualTo(expected.toAbsolutePath().normalize());
    }

    @Test
    void propertyComesBeforeEnvironmentBeforeProjectRoot() throws IOException {
        Path byProperty = Files.createFile(directory.resolve("by-property"));
        Path byVariable = Files.createFile(directory.resolve("by-variable"));
        Files.createDirectories(directory.resolve(".lab/mlflow-venv/bin"));
        Path inRoot = Files.createFile(directory.resolve(".lab/mlflow-venv/bin/mlflow"));
        Map<String, String> properties = Map.of(
                "lab.mlflow.executable", byProperty.toString(), "lab.project.root", directory.toString());

        assertThat(MlflowServer.defaultExecutable(properties::get, Map.of("LAB_MLFLOW", byVariable.toString())))
                .isEqualTo(byProperty);
        assertThat(MlflowServer.defaultExecutable(Map.of("lab.project.root", directory.toString())::get,
                Map.of("LAB_MLFLOW", byVariable.toString()))).isEqualTo(byVariable);
        assertThat(MlflowServer.defaultExecutable(Map.of("lab.project.root", directory.toString())::get, Map.of()))
                .isEqualTo(inRoot);
    }

    @Test
    void aMissingExecutableSaysToRunSetup() {
        assertThatThrownBy(() -> MlflowServer.defaultExecutable(
                        Map.of("lab.project.root", directory.toString())::get, Map.of()))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("./lab setup")
                .hasMessageContaining(directory.resolve(".lab/mlflow-venv/bin/mlflow").toString());
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backproplab.core.tracking.MlflowServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lasting local MLflow server as ./lab uses it, in separate JVMs like separate commands: a project root of its
 * own (a temporary folder) and a free port, so the developer's server on port 5000 is never touched, and whatever
 * this test starts is stopped after it.
 */
class LocalServerTest {

    private static Path root;
    private static int port;

    @BeforeAll
    static void aProjectOfItsOwn() throws IOException {
        root = Files.createTempDirectory("lab-local-server");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopWhatItStarted() throws Exception {
        lab(root, "server", "stop").waitFor(2, TimeUnit.MINUTES);
    }

    @Test
    void commandsStartedAtOnceShareOneServerWhoseLinksAnswerAfterTheRunEnds() throws Exception {
        Process first = lab(root, "server", "start");
        Process second = lab(root, "server", "start");
        String firstOutput = output(first);
        String secondOutput = output(second);
        assertThat(first.exitValue()).as(firstOutput).isZero();
        assertThat(second.exitValue()).as(secondOutput).isZero();
        long pid = pid(firstOutput);
        assertThat(pid(secondOutput)).as("one server for both").isEqualTo(pid);
        assertThat(firstOutput + secondOutput).containsOnlyOnce("Starting the local MLflow server");
        assertThat(Files.readString(root.resolve(".lab/mlflow-server.json"))).contains("\"pid\" : " + pid);

        // A run without a configured server logs to it, and its link still answers once the command has ended.
        Process run = lab(root, "run", LabProcess.experiment("xor.yaml").toString(), "--set", "training.epochs=20");
        String runOutput = output(run);
        assertThat(run.exitValue()).as(runOutput).isZero();
        assertThat(runOutput).doesNotContain("Starting the local MLflow server");
        Matcher link = Pattern.compile("Review it in MLflow: (http://127\\.0\\.0\\.1:" + port + "/#/experiments/\\d+/runs/(\\w+))")
                .matcher(runOutput);
        assertThat(link.find()).as(runOutput).isTrue();
        HttpResponse<String> page = get("http://127.0.0.1:" + port + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> logged = get("http://127.0.0.1:" + port + "/api/2.0/mlflow/runs/get?run_id=" + link.group(2));
        assertThat(logged.statusCode()).isEqualTo(200);
        assertThat(logged.body()).contains("\"status\": \"FINISHED\"");

        Process status = lab(root, "server", "status");
        assertThat(output(status)).contains("http://127.0.0.1:" + port).contains("pid " + pid);
        assertThat(status.exitValue()).isZero();

        Process stop = lab(root, "server", "stop");
        assertThat(output(stop)).contains("Stopped the local MLflow server (pid " + pid);
        assertThat(LinuxProcesses.withArguments("--port", Integer.toString(port))).as("server processes left").isEmpty();
        assertThat(root.resolve(".lab/mlflow-server.json")).doesNotExist();
        Process stopped = lab(root, "server", "status");
        assertThat(output(stopped)).contains("not running");
        assertThat(stopped.exitValue()).isEqualTo(3);
    }

    @Test
    void interruptedWhileTheServerStartsSaysSoAndLeavesNothingRunning() throws Exception {
        Path other = Files.createTempDirectory("lab-local-server-interrupted");
        int otherPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            otherPort = socket.getLocalPort();
        }
        Process start = lab(other, otherPort, "server", "start");
        try {
            // Interrupt once the mlflow process exists, while it cannot answer yet (database migrations take seconds).
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (LinuxProcesses.withArguments("--port", Integer.toString(otherPort)).isEmpty() && System.nanoTime() < deadline
                    && start.isAlive()) {
                TimeUnit.MILLISECONDS.sleep(20); // polling /proc, not timing anything
            }
            // SIGTERM runs the same shutdown hooks as Ctrl-C's SIGINT, which a JVM started from a background job ignores.
            start.destroy();
            String output = output(start);
            assertThat(output).contains("Interrupted while the MLflow server was starting").doesNotContain("unreachable");
            assertThat(start.exitValue()).isEqualTo(143);
            assertThat(LinuxProcesses.withArguments("--port", Integer.toString(otherPort))).isEmpty();
            assertThat(other.resolve(".lab/mlflow-server.json")).doesNotExist();
        } finally {
            start.destroyForcibly();
            lab(other, otherPort, "server", "stop").waitFor(2, TimeUnit.MINUTES);
        }
    }

    private static long pid(String output) {
        Matcher pid = Pattern.compile("\\(pid (\\d+),").matcher(output);
        assertThat(pid.find()).as(output).isTrue();
        return Long.parseLong(pid.group(1));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the command and returns everything it printed. */
    private static String output(Process process) throws Exception {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(text).isTrue();
        return text;
    }

    private static Process lab(Path projectRoot, String... arguments) throws IOException {
        return lab(projectRoot, port, arguments);
    }

    /** {@code ./lab ARGUMENTS} in a JVM of its own, for the project at {@code projectRoot}, as the launcher starts it. */
    private static Process lab(Path projectRoot, int serverPort, String... arguments) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "-Dai.djl.offline=true", "-Dlab.project.root=" + projectRoot, "-Dlab.default.threads=1",
                "-Dlab.mlflow.executable=" + MlflowServer.defaultExecutable(), "-Dlab.mlflow.port=" + serverPort,
                "org.backproplab.core.cli.LabCommand"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("MLFLOW_TRACKING_URI");
        builder.environment().remove("LAB_MLFLOW_PORT");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("CI", "true");
        return builder.start();
    }
}

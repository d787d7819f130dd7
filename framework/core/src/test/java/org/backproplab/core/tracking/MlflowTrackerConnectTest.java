package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connecting without a server: no MLflow needed. */
class MlflowTrackerConnectTest {

    @Test
    void aClosedPortFailsFastNamingTheUri() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + port;

        long started = System.nanoTime();
        assertThatThrownBy(() -> MlflowTracker.connect(uri, MlflowCredentials.none()))
                .isInstanceOf(TrackingException.class)
                .hasMessage("MLflow tracking server at " + uri + " is unreachable: connection refused. Start one,"
                        + " or unset --tracking-uri/MLFLOW_TRACKING_URI to use the local default.");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        // Accepts connections (the OS backlog does) but never answers HTTP.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String uri = "http://127.0.0.1:" + silent.getLocalPort();

            long started = System.nanoTime();
            assertThatThrownBy(() -> MlflowTracker.connect(uri, MlflowCredentials.none()))
                    .isInstanceOf(TrackingException.class)
                    .hasMessageStartingWith("MLflow tracking server at " + uri + " is unreachable");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void fileUrisAreRefused() {
        assertThatThrownBy(() -> MlflowTracker.connect("file:///tmp/mlruns", MlflowCredentials.none()))
                .isInstanceOf(TrackingException.class)
                .hasMessageContaining("file:///tmp/mlruns");
    }
}

package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection closed before any answer (as a proxy or a restarting server drops one) costs a call that changes
 * nothing twice one more try, and fails a call that would change something twice, for its sender to retry.
 */
class MlflowRestRetryTest {

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    /** How many of the first calls are dropped unanswered. */
    private volatile int dropped;
    private MlflowRest rest;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (calls.incrementAndGet() <= dropped) {
                    return; // closed with no answer
                }
                byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
                // No connection kept for the next call: a retry written to the pooled connection this server has
                // just closed, before the client noticed, failed unseen by the server (a CI flake).
                exchange.getResponseHeaders().add("Connection", "close");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        rest = new MlflowRest("http://127.0.0.1:" + server.getAddress().getPort(), MlflowCredentials.none(),
                TrackingTimeouts.DEFAULTS);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsAndSearchesAreSentOnceMoreWhenTheConnectionDrops() {
        dropped = 1;
        assertThat(rest.getJson("/api/2.0/mlflow/runs/get", Map.of("run_id", "r"), "read run r")).contains("{\"ok\": true}");
        assertThat(calls.get()).isEqualTo(2);
        calls.set(0);
        assertThat(rest.postIdempotentJson("/api/2.0/mlflow/runs/search", "{}", "search runs")).isEqualTo("{\"ok\": true}");
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aSecondDropFailsNamingTheCall() {
        dropped = 2;
        assertThatThrownBy(() -> rest.postIdempotentJson("/api/2.0/mlflow/runs/search", "{}", "search runs of experiment 5"))
                .isInstanceOf(TrackingException.class).hasMessageContaining("is unreachable (search runs of experiment 5)");
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void callsThatChangeSomethingAreTriedOnce() {
        dropped = 1;
        assertThatThrownBy(() -> rest.postJson("/api/2.0/mlflow/runs/create", "{}", "create a run"))
                .isInstanceOf(TrackingException.class).hasMessageContaining("create a run");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void timeoutsAndRefusedConnectionsAreNotDrops() {
        assertThat(MlflowRest.droppedBeforeAnswer(new IOException("HTTP/1.1 header parser received no bytes"))).isTrue();
        assertThat(MlflowRest.droppedBeforeAnswer(new HttpConnectTimeoutException("connect timed out"))).isFalse();
        assertThat(MlflowRest.droppedBeforeAnswer(new IOException(new ConnectException("Connection refused")))).isFalse();
    }
}

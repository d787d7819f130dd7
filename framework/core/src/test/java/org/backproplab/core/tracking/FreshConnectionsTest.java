package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Calls to a plain-HTTP server each take a connection of their own (see {@link FreshConnections} for why), observed
 * from the server's side: the client's port of each request and the {@code Connection} header it sent.
 */
class FreshConnectionsTest {

    @Test
    void everyCallToAPlainHttpServerHasAConnectionOfItsOwn() throws IOException {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        List<String> connectionHeaders = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            connectionHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Connection")));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            MlflowRest rest = new MlflowRest("http://127.0.0.1:" + server.getAddress().getPort(), MlflowCredentials.none(),
                    TrackingTimeouts.DEFAULTS);
            for (int call = 0; call < 3; call++) {
                assertThat(rest.getJson("/api/2.0/mlflow/experiments/get", Map.of("experiment_id", "0"), "read"))
                        .contains("{}");
            }
        } finally {
            server.stop(0);
        }
        assertThat(connectionHeaders).containsExactly("close", "close", "close");
        assertThat(clientPorts).hasSize(3);
    }

    @Test
    void httpsConnectionsAreKeptAlive() {
        assertThat(FreshConnections.forServer("https://mlflow.example.org")).isFalse();
        assertThat(FreshConnections.forServer("HTTP://127.0.0.1:5000")).isTrue();
    }
}

package org.backproplab.spark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MLflow server behind HTTP basic auth, as a real deployment has it: a loopback proxy that answers 401 to a
 * request without the right credentials and passes the others on. What reaches MLflow through it was sent with
 * the credentials. The first log-batch call of each run (its first metrics, params or tags) is dropped unanswered,
 * as a connection cut mid-call would be, so that every client here retries at least once (and says so in its logs).
 */
final class AuthenticatingProxy implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final String expected;
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger passed = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    private final Set<String> runsWithABatch = ConcurrentHashMap.newKeySet();

    AuthenticatingProxy(String target, String username, String password) throws IOException {
        this.target = target;
        this.expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().endsWith("/runs/log-batch") && runsWithABatch.add(runIdIn(body))) {
                dropped.incrementAndGet();
                return; // closed with no answer
            }
            passed.incrementAndGet();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException staleConnection) {
                // This proxy's own kept-alive connection to MLflow, closed by MLflow while idle: the call never
                // reached it. Only the first log-batch of a run is meant to be dropped; the rest must pass.
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String runIdIn(byte[] body) {
        Matcher runId = RUN_ID.matcher(new String(body, StandardCharsets.UTF_8));
        return runId.find() ? runId.group(1) : "";
    }

    private static final Pattern RUN_ID = Pattern.compile("\"run_id\"\\s*:\\s*\"([^\"]*)\"");

    String authorizationHeader() {
        return expected;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package org.backproplab.core.tracking;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Plain HTTP to an MLflow server, for what the Java client cannot do or does badly: every call has timeouts and
 * fails with a {@link TrackingException} that says what went wrong. A call that changes nothing twice (a read, a
 * search, setting a tag or a status) is sent once more at once when its connection closed before any answer (a
 * server or proxy dropping a connection); others are tried once, their senders (the journal) retry.
 */
final class MlflowRest {

    private final String baseUri;
    /** What messages call the server: its address, or a name where the address must not show (Spark executors). */
    private final String shownAs;
    private final MlflowCredentials credentials;
    private final TrackingTimeouts timeouts;
    private final HttpClient http;
    private final boolean freshConnections;

    /** @param baseUri without credentials: it is named in messages */
    MlflowRest(String baseUri, MlflowCredentials credentials, TrackingTimeouts timeouts) {
        this(baseUri, null, credentials, timeouts);
    }

    /** @param name what messages call the server instead of "at" its address; {@code null}: its address */
    MlflowRest(String baseUri, String name, MlflowCredentials credentials, TrackingTimeouts timeouts) {
        this.baseUri = baseUri;
        this.shownAs = name == null ? "at " + baseUri : name;
        this.credentials = credentials;
        this.timeouts = timeouts;
        this.freshConnections = FreshConnections.forServer(baseUri);
        // HTTP/1.1: no h2c upgrade attempts against uvicorn/gunicorn.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    String baseUri() {
        return baseUri;
    }

    String shownAs() {
        return shownAs;
    }

    MlflowCredentials credentials() {
        return credentials;
    }

    TrackingTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Fails fast, with advice, unless {@code GET /health} answers 200 within {@code timeout}. Runs before anything
     * is created, so a wrong address does not leave half a run behind.
     */
    void checkHealth(Duration timeout) {
        HttpRequest request = request("/health", timeout).GET().build();
        String problem;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return;
            }
            problem = "GET /health answered HTTP " + response.statusCode();
        } catch (IOException e) {
            problem = describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("Interrupted while checking the MLflow server " + shownAs + ".", e);
        }
        throw new TrackingException("MLflow tracking server " + shownAs + " is unreachable: " + problem
                + ". Start one, or unset --tracking-uri/" + TrackingTarget.TRACKING_URI_VARIABLE
                + " to use the local default.");
    }

    /** An answer of any status; only transport failures throw. */
    record Answer(int status, byte[] body) {
        boolean isSuccess() {
            return status / 100 == 2;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** GET {@code path} with {@code query}; the body of a 2xx answer, empty on 404. */
    Optional<String> getJson(String path, Map<String, String> query, String what) {
        return getJson(path, List.copyOf(query.entrySet()), what);
    }

    /** As {@link #getJson(String, Map, String)}, where a name may come more than once. */
    Optional<String> getJson(String path, List<Map.Entry<String, String>> query, String what) {
        Answer answer = sendIdempotent(request(path + queryString(query), timeouts.request()).GET().build(), what);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(requireSuccess(answer, what).text());
    }

    /** POST {@code json} to {@code path}; the body of the 2xx answer, else a {@link TrackingException}. */
    String postJson(String path, String json, String what) {
        return requireSuccess(send(post(path, json), what), what).text();
    }

    /**
     * As {@link #postJson}, for a call that changes nothing when made twice (a search, setting a tag or a run's
     * status): sent once more when its connection closed before an answer.
     */
    String postIdempotentJson(String path, String json, String what) {
        return requireSuccess(sendIdempotent(post(path, json), what), what).text();
    }

    private HttpRequest post(String path, String json) {
        return request(path, timeouts.request())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
    }

    /** {@link #send}, once more at once if the connection closed before any answer. */
    private Answer sendIdempotent(HttpRequest request, String what) {
        try {
            return send(request, what);
        } catch (TrackingException e) {
            if (!droppedBeforeAnswer(e.getCause())) {
                throw e;
            }
            return send(request, what);
        }
    }

    /**
     * A connection that closed or was reset before an answer: not a timeout (the wait is spent) and not a refused
     * connection (nothing listens).
     */
    static boolean droppedBeforeAnswer(Throwable error) {
        if (!(error instanceof IOException) || error instanceof HttpTimeoutException) {
            return false;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpTimeoutException
                    || cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return false;
            }
        }
        return true;
    }

    Answer send(HttpRequest request, String what) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw new TrackingException("MLflow tracking server " + shownAs + " is unreachable (" + what + "): no"
                    + " connection within " + seconds(timeouts.connect()) + ".", e);
        } catch (HttpTimeoutException e) {
            throw new TrackingException("MLflow tracking server " + shownAs + " did not answer in time (" + what
                    + "): no answer within " + seconds(request.timeout().orElse(timeouts.request())) + "; see "
                    + TrackingTimeouts.variable(TrackingTimeouts.REQUEST) + ".", e);
        } catch (IOException e) {
            throw new TrackingException("MLflow tracking server " + shownAs + " is unreachable (" + what + "): "
                    + describe(e) + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException("Interrupted while waiting for the MLflow server " + shownAs + " ("
                    + what + ").", e);
        }
    }

    /** A request builder for {@code pathAndQuery} on this server, with credentials and a timeout. */
    HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery)).timeout(timeout);
        credentials.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        return freshConnections ? FreshConnections.ask(builder) : builder;
    }

    Answer requireSuccess(Answer answer, String what) {
        if (answer.isSuccess()) {
            return answer;
        }
        throw failure(shownAs, answer.status(), ProtoJson.errorMessage(answer.text()), what);
    }

    /** The exception for an HTTP error answer, shared with calls made through the Java client. */
    static TrackingException failure(String shownAs, int status, String serverMessage, String what) {
        if (status == 401 || status == 403) {
            return new ServerRefusal("MLflow server " + shownAs + " refused " + what + " (HTTP " + status
                    + ": " + serverMessage + "). Set " + MlflowCredentials.USERNAME_VARIABLE + " and "
                    + MlflowCredentials.PASSWORD_VARIABLE + ", or " + MlflowCredentials.TOKEN_VARIABLE + ".", status);
        }
        return new ServerRefusal("MLflow server " + shownAs + " could not " + what + ": " + serverMessage
                + " (HTTP " + status + ")", status);
    }

    /** A short, user-facing reason for a failed connection, e.g. "connection refused". */
    static String describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException) {
                return "no connection in time";
            }
            if (cause instanceof HttpTimeoutException) {
                return "no answer in time";
            }
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                String message = cause.getMessage();
                return message == null || message.isBlank() ? "connection refused"
                        : message.toLowerCase(Locale.ROOT);
            }
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    /** {@code value} percent-encoded for a URL path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String queryString(List<Map.Entry<String, String>> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach(entry -> joined.add(encode(entry.getKey()) + "=" + encode(entry.getValue())));
        return joined.toString();
    }
}

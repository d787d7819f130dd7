package org.backproplab.core.tracking;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How long Backprop Lab waits for an MLflow server: to connect, for one request's answer, for an artifact upload,
 * and at the end of a command for the backlog of unsent records. Each comes from a system property
 * ({@code lab.mlflow.connect_timeout}...) or an environment variable ({@code LAB_MLFLOW_CONNECT_TIMEOUT}...), in
 * seconds, else the default.
 *
 * @param connect opening a connection
 * @param request one API call, from sending it to its whole answer
 * @param transfer one artifact upload or download
 * @param flush how long a command waits at its end for unsent records before it leaves them to {@code ./lab sync}
 */
public record TrackingTimeouts(Duration connect, Duration request, Duration transfer, Duration flush) {

    public static final TrackingTimeouts DEFAULTS = new TrackingTimeouts(
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofSeconds(60));

    static final String CONNECT = "connect_timeout";
    static final String REQUEST = "request_timeout";
    static final String TRANSFER = "transfer_timeout";
    static final String FLUSH = "flush_timeout";

    public TrackingTimeouts {
        for (Duration duration : new Duration[] {connect, request, transfer, flush}) {
            if (duration.isNegative()) {
                throw new TrackingException("A tracking timeout must not be negative, got " + duration.toSeconds() + " s.");
            }
        }
    }

    /** The timeouts this process was configured with. */
    public static TrackingTimeouts current() {
        return from(System::getProperty, System.getenv());
    }

    static TrackingTimeouts from(UnaryOperator<String> properties, Map<String, String> env) {
        return new TrackingTimeouts(
                read(CONNECT, DEFAULTS.connect, properties, env),
                read(REQUEST, DEFAULTS.request, properties, env),
                read(TRANSFER, DEFAULTS.transfer, properties, env),
                read(FLUSH, DEFAULTS.flush, properties, env));
    }

    /** These timeouts, waiting {@code flush} for the backlog at the end. */
    public TrackingTimeouts withFlush(Duration flush) {
        return new TrackingTimeouts(connect, request, transfer, flush);
    }

    /** The system property of a setting, e.g. {@code lab.mlflow.flush_timeout}. */
    static String property(String name) {
        return "lab.mlflow." + name;
    }

    /** The environment variable of a setting, e.g. {@code LAB_MLFLOW_FLUSH_TIMEOUT}. */
    static String variable(String name) {
        return "LAB_MLFLOW_" + name.toUpperCase(java.util.Locale.ROOT);
    }

    private static Duration read(String name, Duration fallback, UnaryOperator<String> properties, Map<String, String> env) {
        String source = property(name);
        String value = properties.apply(source);
        if (value == null || value.isBlank()) {
            source = variable(name);
            value = env.get(source);
        }
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds >= 0 && seconds < 1e7) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TrackingException(source + " must be a number of seconds (>= 0), got '" + value + "'.");
    }
}

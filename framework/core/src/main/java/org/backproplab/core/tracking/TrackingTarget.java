package org.backproplab.core.tracking;

import java.util.Locale;
import java.util.Map;

/** Decides which MLflow tracking server a command talks to. */
public final class TrackingTarget {

    public static final String TRACKING_URI_VARIABLE = "MLFLOW_TRACKING_URI";

    private TrackingTarget() {}

    /**
     * The tracking URI to use: the first non-blank of the command line's {@code --tracking-uri}, the
     * environment's {@code MLFLOW_TRACKING_URI} and the experiment file's value; {@code null} when none is
     * set, in which case the caller starts the embedded local server.
     *
     * @throws TrackingException if the chosen URI is not http(s), e.g. a {@code file:} store, which the MLflow
     *     Java client cannot write
     */
    public static String resolveTrackingUri(String commandLineUri, Map<String, String> env, String yamlUri) {
        if (isSet(commandLineUri)) {
            return checked(commandLineUri, "--tracking-uri");
        }
        String fromEnvironment = env.get(TRACKING_URI_VARIABLE);
        if (isSet(fromEnvironment)) {
            return checked(fromEnvironment, TRACKING_URI_VARIABLE);
        }
        if (isSet(yamlUri)) {
            return checked(yamlUri, "the experiment file");
        }
        return null;
    }

    /**
     * {@code uri} trimmed and without trailing slashes, if it is http(s).
     *
     * @param source where the URI came from, for the message; {@code null} if unknown
     */
    static String checked(String uri, String source) {
        String trimmed = uri.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return trimmed.replaceAll("/+$", "");
        }
        String what = lower.startsWith("file:") || !lower.contains(":")
                ? "is a local file store, which the MLflow Java client cannot write"
                : "is not an http(s) address, the only kind the MLflow Java client supports";
        String from = source == null ? "" : " (from " + source + ")";
        throw new TrackingException("Tracking URI '" + trimmed + "'" + from + " " + what
                + ". Point it to an MLflow server (http://host:port), or unset it to use the local default.");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}

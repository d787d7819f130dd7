package org.backproplab.core.tracking;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decides which MLflow tracking server a command talks to. */
public final class TrackingTarget {

    public static final String TRACKING_URI_VARIABLE = "MLFLOW_TRACKING_URI";

    /** {@code scheme://user:password@} at the start of a URI. */
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@?#]*)@");

    private TrackingTarget() {}

    /** {@code uri} with any {@code user:password@} replaced by {@code ***@}, for messages and tags. */
    public static String redact(String uri) {
        return uri == null ? null : USER_INFO.matcher(uri).replaceFirst("$1***@");
    }

    /** {@code uri} without {@code user:password@}. */
    static String withoutCredentials(String uri) {
        return USER_INFO.matcher(uri).replaceFirst("$1");
    }

    /** The basic-auth credentials written into {@code uri} ({@code http://user:password@host}), if any. */
    static Optional<MlflowCredentials> credentialsIn(String uri) {
        Matcher matcher = USER_INFO.matcher(uri);
        if (!matcher.find() || matcher.group(2).isEmpty()) {
            return Optional.empty();
        }
        String userInfo = matcher.group(2);
        int colon = userInfo.indexOf(':');
        String user = URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8);
        String password = colon < 0 ? "" : URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8);
        return Optional.of(MlflowCredentials.basic(user, password));
    }

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
        throw new TrackingException("Tracking URI '" + redact(trimmed) + "'" + from + " " + what
                + ". Point it to an MLflow server (http://host:port), or unset it to use the local default.");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}

package org.backproplab.core.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Credentials for an MLflow tracking server, read from the variables the Python client uses:
 * {@code MLFLOW_TRACKING_USERNAME} with {@code MLFLOW_TRACKING_PASSWORD} (HTTP basic auth), or
 * {@code MLFLOW_TRACKING_TOKEN} (bearer token). Basic auth wins when both are set, as in Python.
 * {@link #toString()} never shows a password or token.
 */
public final class MlflowCredentials {

    public static final String USERNAME_VARIABLE = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD_VARIABLE = "MLFLOW_TRACKING_PASSWORD";
    public static final String TOKEN_VARIABLE = "MLFLOW_TRACKING_TOKEN";

    private static final MlflowCredentials NONE = new MlflowCredentials(null, null, null);

    private final String username;
    private final String password;
    private final String token;

    private MlflowCredentials(String username, String password, String token) {
        this.username = username;
        this.password = password;
        this.token = token;
    }

    /** No credentials: requests go out without an {@code Authorization} header. */
    public static MlflowCredentials none() {
        return NONE;
    }

    /** HTTP basic auth. */
    public static MlflowCredentials basic(String username, String password) {
        return new MlflowCredentials(
                Objects.requireNonNull(username, "username"), Objects.requireNonNull(password, "password"), null);
    }

    /** A bearer token. */
    public static MlflowCredentials token(String token) {
        return new MlflowCredentials(null, null, Objects.requireNonNull(token, "token"));
    }

    /** Credentials from this process's environment. */
    public static MlflowCredentials fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Credentials from the given environment variables.
     *
     * @throws TrackingException if only one of username and password is set (almost surely a mistake that
     *     would otherwise surface later as a puzzling HTTP 401)
     */
    public static MlflowCredentials fromEnvironment(Map<String, String> env) {
        String username = nonBlank(env.get(USERNAME_VARIABLE));
        String password = nonBlank(env.get(PASSWORD_VARIABLE));
        String token = nonBlank(env.get(TOKEN_VARIABLE));
        if (username != null && password != null) {
            return basic(username, password);
        }
        if (username != null || password != null) {
            String set = username != null ? USERNAME_VARIABLE : PASSWORD_VARIABLE;
            String missing = username != null ? PASSWORD_VARIABLE : USERNAME_VARIABLE;
            throw new TrackingException(set + " is set but " + missing + " is not: set both for HTTP basic auth,"
                    + " or neither.");
        }
        return token != null ? token(token) : NONE;
    }

    /** The credential variables of {@code env} that are set, e.g. to hand them to a process elsewhere. */
    public static Map<String, String> variables(Map<String, String> env) {
        Map<String, String> variables = new java.util.TreeMap<>();
        for (String name : java.util.List.of(USERNAME_VARIABLE, PASSWORD_VARIABLE, TOKEN_VARIABLE)) {
            if (nonBlank(env.get(name)) != null) {
                variables.put(name, env.get(name));
            }
        }
        return variables;
    }

    /**
     * Puts these credentials into {@code environment} (a worker process's) under the variables
     * {@link #fromEnvironment} reads, replacing what was there: never on a command line, where any user sees them.
     */
    public void exportTo(Map<String, String> environment) {
        environment.remove(USERNAME_VARIABLE);
        environment.remove(PASSWORD_VARIABLE);
        environment.remove(TOKEN_VARIABLE);
        if (username != null) {
            environment.put(USERNAME_VARIABLE, username);
            environment.put(PASSWORD_VARIABLE, password);
        } else if (token != null) {
            environment.put(TOKEN_VARIABLE, token);
        }
    }

    /** Whether requests carry credentials at all. */
    public boolean isPresent() {
        return username != null || token != null;
    }

    /** The value of the {@code Authorization} header: {@code Basic base64(user:password)} or {@code Bearer token}. */
    public Optional<String> authorizationHeader() {
        if (username != null) {
            byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair));
        }
        return token != null ? Optional.of("Bearer " + token) : Optional.empty();
    }

    /** These credentials for the MLflow Java client talking to {@code trackingUri}. */
    public BasicMlflowHostCreds hostCreds(String trackingUri) {
        if (username != null) {
            return new BasicMlflowHostCreds(trackingUri, username, password);
        }
        return token != null ? new BasicMlflowHostCreds(trackingUri, token) : new BasicMlflowHostCreds(trackingUri);
    }

    @Override
    public String toString() {
        if (username != null) {
            return "MlflowCredentials[basic auth, user " + username + ", password ****]";
        }
        return token != null ? "MlflowCredentials[bearer token ****]" : "MlflowCredentials[none]";
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

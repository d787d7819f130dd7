package org.backproplab.core.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Maps a run's artifacts onto the server's artifact proxy, {@code /api/2.0/mlflow-artifacts/artifacts/...}.
 * The Java client's own artifact methods shell out to Python, so artifacts travel over plain HTTP instead.
 */
final class ArtifactPaths {

    static final String ENDPOINT = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String PROXY_SCHEME = "mlflow-artifacts";
    private static final String UNSAFE_CHARACTERS = "#%\\";

    private ArtifactPaths() {}

    /**
     * The run's artifact root below the proxy, e.g. {@code 1/<runId>/artifacts} for
     * {@code mlflow-artifacts:/1/<runId>/artifacts}.
     *
     * @throws TrackingException if the server does not proxy this run's artifacts (a plain local or cloud
     *     artifact root, which only the Python client could write)
     */
    static String proxiedRoot(String artifactUri, String runId, String serverShownAs) {
        try {
            URI uri = new URI(artifactUri);
            if (PROXY_SCHEME.equals(uri.getScheme()) && uri.getPath() != null) {
                return uri.getPath().replaceAll("^/+|/+$", "");
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new TrackingException("MLflow run " + runId + " stores artifacts at '" + artifactUri + "', which"
                + " this client cannot write: the MLflow server " + serverShownAs + " must serve artifacts"
                + " (mlflow server with --serve-artifacts, the default, and without --default-artifact-root;"
                + " experiments created before keep their old location, so use a new experiment).");
    }

    /**
     * The URL path of {@code relativePath} (slash-separated, relative to the run's artifact root) on the proxy,
     * each segment percent-encoded.
     */
    static String endpointPath(String proxiedRoot, String relativePath) {
        List<String> segments = new ArrayList<>(List.of(proxiedRoot.split("/")));
        segments.addAll(segments(relativePath));
        return ENDPOINT + "/" + segments.stream().map(MlflowRest::encode).collect(Collectors.joining("/"));
    }

    /** {@code directory} and {@code fileName} joined, checked to stay inside the run's artifacts. */
    static String join(String directory, String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.contains("/")) {
            throw new TrackingException("Artifact file name '" + fileName + "' must be non-empty and contain no"
                    + " slash.");
        }
        segments(fileName); // validates
        String normalized = normalizedDirectory(directory);
        segments(normalized); // validates
        return normalized.isEmpty() ? fileName : normalized + "/" + fileName;
    }

    /** {@code directory} without leading or trailing slashes; {@code null} and "" mean the root. */
    static String normalizedDirectory(String directory) {
        return directory == null ? "" : directory.replaceAll("^/+|/+$", "");
    }

    private static List<String> segments(String relativePath) {
        List<String> segments = new ArrayList<>();
        String normalized = normalizedDirectory(relativePath);
        if (normalized.isEmpty()) {
            return segments;
        }
        for (String segment : normalized.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new TrackingException("Artifact path '" + relativePath + "' must not contain empty, '.' or"
                        + " '..' parts.");
            }
            if (segment.chars().anyMatch(c -> UNSAFE_CHARACTERS.indexOf(c) >= 0)) {
                // The server refuses '#' and backslashes, and percent-decodes paths repeatedly, which garbles a '%'.
                throw new TrackingException("Artifact path '" + relativePath + "' must not contain any of "
                        + UNSAFE_CHARACTERS + " (the MLflow server refuses or alters them).");
            }
            segments.add(segment);
        }
        return segments;
    }
}

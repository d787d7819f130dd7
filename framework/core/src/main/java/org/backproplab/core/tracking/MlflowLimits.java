package org.backproplab.core.tracking;

import java.util.regex.Pattern;

/**
 * The MLflow server's rules for keys and values, checked before sending: a clear error naming the key beats
 * an HTTP 400 that the Java client retries three times under a misleading "rate limit" warning.
 */
final class MlflowLimits {

    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    /** Per log-batch request, as the server enforces. */
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_PER_BATCH = 100;
    static final int MAX_TAGS_PER_BATCH = 100;
    /** The server refuses bodies over 1 MB; stay well below, counting JSON overhead roughly. */
    static final int MAX_BATCH_BYTES = 900_000;

    // Python's \w is Unicode-aware, hence UNICODE_CHARACTER_CLASS.
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- :]*", Pattern.UNICODE_CHARACTER_CLASS);

    private MlflowLimits() {}

    /** @param kind "param", "tag" or "metric", for the message */
    static void checkKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw new TrackingException("An MLflow " + kind + " name is empty.");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new TrackingException("MLflow " + kind + " name '" + key.substring(0, 40) + "...' is "
                    + key.length() + " characters long; the limit is " + MAX_KEY_LENGTH + ".");
        }
        if (!KEY.matcher(key).matches()) {
            throw new TrackingException("MLflow " + kind + " name '" + key + "' may contain only letters, digits,"
                    + " and _ - . / space :");
        }
        if (key.startsWith("/") || key.contains("//") || key.contains("..")) {
            throw new TrackingException("MLflow " + kind + " name '" + key + "' must not start with '/' nor"
                    + " contain '//' or '..'.");
        }
    }

    static void checkParam(String key, String value) {
        checkKey("param", key);
        checkValue("param", key, value, MAX_PARAM_VALUE_LENGTH);
    }

    static void checkTag(String key, String value) {
        checkKey("tag", key);
        checkValue("tag", key, value, MAX_TAG_VALUE_LENGTH);
    }

    private static void checkValue(String kind, String key, String value, int limit) {
        if (value == null) {
            throw new TrackingException("MLflow " + kind + " '" + key + "' has no value.");
        }
        int length = value.codePointCount(0, value.length()); // the server counts characters, not UTF-16 units
        if (length > limit) {
            throw new TrackingException("MLflow " + kind + " '" + key + "' is " + length + " characters long;"
                    + " MLflow stores at most " + limit + ". Log a shorter value, or the full text as an artifact.");
        }
    }
}

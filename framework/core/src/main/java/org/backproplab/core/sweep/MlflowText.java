package org.backproplab.core.sweep;

/** Text shortened to what MLflow stores: a tag value at most 8000 characters, a param 6000. */
final class MlflowText {

    private static final int MAX_TAG_LENGTH = 8000;

    private MlflowText() {}

    static String tag(String text) {
        return cut(text == null ? "" : text, MAX_TAG_LENGTH);
    }

    static String cut(String text, int limit) {
        if (text.codePointCount(0, text.length()) <= limit) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, limit - 4)) + " ...";
    }
}

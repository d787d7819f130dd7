package org.backproplab.core.config;

import java.util.Objects;

/**
 * Where something is in an experiment file (or in a {@code --set} override), for messages.
 *
 * @param file the file name as the user gave it, e.g. {@code experiments/xor.yaml}
 * @param line 1-based line
 * @param column 1-based column
 */
public record SourcePosition(String file, int line, int column) {

    public SourcePosition {
        Objects.requireNonNull(file, "file");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
        }
    }

    /** {@code file:line:column}, the form editors and terminals turn into links. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}

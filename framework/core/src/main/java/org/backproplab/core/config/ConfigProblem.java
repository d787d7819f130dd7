package org.backproplab.core.config;

import java.util.Objects;

/**
 * One thing wrong with an experiment file, phrased for the person who wrote it.
 *
 * @param position where it is; {@code null} when it concerns the file as a whole (e.g. it cannot be read)
 * @param path the dotted path of the value, e.g. {@code optimizer.lr} or {@code model.hidden[0]}; {@code ""}
 *     for the document itself
 * @param message what is wrong and, where possible, how to fix it
 */
public record ConfigProblem(SourcePosition position, String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code experiments/xor.yaml:7:25: optimizer.lr: must be greater than 0, got -0.5}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (position != null) {
            text.append(position).append(": ");
        }
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}

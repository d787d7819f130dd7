package org.backproplab.spi;

import java.util.Objects;

/**
 * A file to keep with a run in MLflow, such as a chart or a table.
 *
 * @param directory the artifact folder, e.g. {@code "metrics"}; {@code ""} for the root
 * @param fileName the file's name, e.g. {@code "confusion_matrix.csv"}
 * @param content the file's bytes
 */
public record Artifact(String directory, String fileName, byte[] content) {

    /**
     * Checks that nothing is missing.
     *
     * @param directory the artifact folder
     * @param fileName the file's name
     * @param content the bytes
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when the file name is blank or holds a slash
     */
    public Artifact {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(content, "content");
        if (fileName.isBlank() || fileName.contains("/")) {
            throw new IllegalArgumentException("an artifact's file name must be a plain name, got '" + fileName + "'");
        }
    }
}

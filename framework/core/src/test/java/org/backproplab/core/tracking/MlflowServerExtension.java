package org.backproplab.core.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real MLflow server (the pinned {@code .lab/mlflow-venv}) in a temporary directory before the tests
 * of a class, and stops it and deletes the directory after them. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final MlflowServerExtension MLFLOW = new MlflowServerExtension();}</pre>
 */
public final class MlflowServerExtension implements BeforeAllCallback, AfterAllCallback {

    private Path directory;
    private MlflowServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("mlflow-test-");
        server = MlflowServer.start(MlflowServer.defaultExecutable(), directory, 0);
        // Runs a test leaves unfinished keep their journals: there, not in the project's .lab/journal.
        System.setProperty(RunJournal.ROOT_PROPERTY, directory.resolve("journal").toString());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(RunJournal.ROOT_PROPERTY);
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    public MlflowServer server() {
        return server;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String uri() {
        return server.uri();
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.backproplab.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowServer;
import org.backproplab.core.tracking.MlflowTracker;

/**
 * One real MLflow server (the pinned version from .lab/mlflow-venv) on a free loopback port for the
 * whole test JVM: starting one takes seconds, and every test uses its own experiment names.
 */
final class SharedMlflowServer {

    private static MlflowServer server;

    private SharedMlflowServer() {}

    static synchronized String uri() {
        if (server == null) {
            try {
                Path store = Files.createTempDirectory("lab-test-mlflow");
                server = MlflowServer.start(MlflowServer.defaultExecutable(), store, 0);
                if (System.getProperty("lab.journal.dir") == null) {
                    // Runs a test leaves unfinished keep their journals there, not in the project's .lab/journal.
                    System.setProperty("lab.journal.dir", store.resolve("journal").toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server.uri();
    }

    static MlflowTracker tracker() {
        return MlflowTracker.connect(uri(), MlflowCredentials.fromEnvironment(Map.of()));
    }
}

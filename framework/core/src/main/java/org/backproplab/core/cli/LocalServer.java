package org.backproplab.core.cli;

import java.io.PrintStream;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.tracking.LocalMlflowServer;
import org.backproplab.core.tracking.MlflowServer;

/** The project's lasting local MLflow server, for the commands that log or read when no server is configured. */
final class LocalServer {

    private LocalServer() {}

    /** The server of the project root ({@code .lab/} and {@code reports/mlflow}). */
    static LocalMlflowServer ofProject() {
        return LocalMlflowServer.ofProject(RunProvenance.projectRoot());
    }

    /** The running local server, started in the background first if needed; {@code port} null: the configured one. */
    static LocalMlflowServer.Running ensure(Integer port, PrintStream notes) {
        return ofProject().ensureRunning(MlflowServer.defaultExecutable(),
                LocalMlflowServer.portChoice(port, System.getenv(), System::getProperty), notes::println);
    }
}

package org.backproplab.core.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.backproplab.core.tracking.MlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab ui}: the MLflow dashboard on the local store that {@code ./lab run} logs to by default. */
@Command(name = "ui", mixinStandardHelpOptions = true, description = "Serve the MLflow dashboard on reports/mlflow.")
final class UiCommand implements Callable<Integer> {

    static final int DEFAULT_PORT = 5000;
    static final String DEFAULT_URL = "http://127.0.0.1:" + DEFAULT_PORT;

    @Option(names = "--port", description = "port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port = DEFAULT_PORT;

    @Override
    public Integer call() throws InterruptedException {
        MlflowServer server = MlflowServer.start(MlflowServer.defaultExecutable(), RunCommand.localStore(), port);
        System.out.println("MLflow dashboard: " + server.uri() + "  (store " + RunCommand.localStore() + "; Ctrl-C stops it)");
        new CountDownLatch(1).await();
        return 0;
    }
}

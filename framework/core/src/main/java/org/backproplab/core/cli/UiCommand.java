package org.backproplab.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./lab ui}: the MLflow dashboard on the local store that {@code ./lab run} logs to by default, served by the
 * project's lasting local server (started in the background if it is not running); {@code --stop} ends it.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        header = "The MLflow dashboard's address (the local server, started if needed).",
        description = "Print the address of the MLflow dashboard on reports/mlflow, starting the local server in the"
                + " background if it is not running (the same server ./lab run logs to); --stop ends it.")
final class UiCommand implements Callable<Integer> {

    @Mixin
    ServerCommand.PortOption port;

    @Option(names = "--stop", description = "stop the local MLflow server instead")
    boolean stop;

    @Override
    public Integer call() {
        return stop ? ServerCommand.stopServer() : ServerCommand.startServer(port.port, "MLflow dashboard");
    }
}

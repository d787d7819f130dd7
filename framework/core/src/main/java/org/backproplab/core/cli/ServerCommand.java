package org.backproplab.core.cli;

import java.io.PrintStream;
import java.util.Optional;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.tracking.LocalMlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./lab server start|stop|status}: the project's lasting local MLflow server (store reports/mlflow), which
 * {@code ./lab run}, {@code ./lab report} and {@code ./lab ui} start on first use and then reuse.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        header = "Start, stop or check the lasting local MLflow server (start | stop | status).",
        description = {"The local MLflow server on reports/mlflow that ./lab starts on first use and keeps running.",
            "Its pid and port are in .lab/mlflow-server.json; LAB_MLFLOW_PORT sets its port (default 5000)."})
final class ServerCommand {

    /** Exit code of {@code status} when no server runs (as {@code systemctl status} does). */
    static final int EXIT_NOT_RUNNING = 3;

    /** {@code --port}, shared with {@code ./lab ui}. */
    static final class PortOption {
        @Option(names = "--port", paramLabel = "PORT",
                description = "port on 127.0.0.1 when it has to be started (default: $LAB_MLFLOW_PORT, else 5000)")
        Integer port;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the local MLflow server in the background if it is not running, and print its address.")
    int start(@Mixin PortOption port) {
        return startServer(port.port, "Local MLflow server");
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the local MLflow server.")
    int stop() {
        return stopServer();
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Say whether the local MLflow server runs, and where (exit code 0 if it does, 3 if not).")
    int status() {
        LocalMlflowServer server = LocalServer.ofProject();
        Optional<LocalMlflowServer.Running> running = server.find(notes());
        if (running.isEmpty()) {
            System.out.println("The local MLflow server is not running (store " + server.store()
                    + "); ./lab server start or ./lab run starts it.");
            return EXIT_NOT_RUNNING;
        }
        System.out.println("Local MLflow server: " + running.get().uri() + "  (pid " + running.get().pid() + ", store "
                + server.store() + ")");
        return 0;
    }

    static int startServer(Integer port, String what) {
        LocalMlflowServer.Running running = LocalServer.ensure(port, ConsoleMode.current().progress(System.out));
        if (port != null && running.port() != port) {
            notes().accept("The local MLflow server already runs on port " + running.port() + "; --port " + port
                    + " applies when it starts (./lab server stop first to move it).");
        }
        System.out.println(what + ": " + running.uri() + "  (pid " + running.pid() + ", store " + running.store()
                + "; it runs in the background: ./lab server stop ends it)");
        return 0;
    }

    static int stopServer() {
        LocalMlflowServer server = LocalServer.ofProject();
        Optional<LocalMlflowServer.Running> stopped = server.stop(notes());
        System.out.println(stopped.map(running -> "Stopped the local MLflow server (pid " + running.pid() + ", "
                + running.uri() + ").").orElse("The local MLflow server was not running."));
        return 0;
    }

    private static java.util.function.Consumer<String> notes() {
        PrintStream err = System.err;
        return err::println;
    }
}

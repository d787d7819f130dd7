package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.plugin.LabModule;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.ExperimentRunner.RunResult;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowServer;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab run FILE}: validate, train and log one experiment. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Train an experiment and log it to MLflow.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the experiment YAML file")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE",
            description = "override a value of the file, e.g. --set optimizer.lr=0.1 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow server; default: $MLFLOW_TRACKING_URI, then tracking.uri, then a local server on reports/mlflow")
    String trackingUri;

    @Override
    public Integer call() throws ConfigException {
        PrintStream out = System.out;
        Injector injector = LabModule.createInjector();
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load(file, overrides);
        int threads = EngineThreads.configure(experiment.training().threads());
        String uri = TrackingTarget.resolveTrackingUri(trackingUri, System.getenv(), experiment.tracking().uri());
        MlflowServer embedded = null;
        try {
            if (uri == null) {
                out.println("No MLflow server configured: starting the local one on reports/mlflow ...");
                embedded = MlflowServer.start(MlflowServer.defaultExecutable(), localStore(), 0);
                uri = embedded.uri();
            }
            try (MlflowTracker tracker = MlflowTracker.connect(uri, MlflowCredentials.fromEnvironment(System.getenv()))) {
                out.println("Training " + experiment.name() + " from " + file + " (" + threads + " PyTorch threads)");
                long start = System.nanoTime();
                RunResult result = injector.getInstance(ExperimentRunner.class).run(experiment, overrides, tracker, threads, out);
                printResult(result, (System.nanoTime() - start) / 1e9, embedded != null, out);
                return result.status() == RunStatus.FINISHED ? 0 : LabCommand.EXIT_RUN_FAILED;
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void printResult(RunResult result, double seconds, boolean embedded, PrintStream out) {
        out.printf(Locale.ROOT, "%s in %.1f s%n", ExperimentRunner.describe(result), seconds);
        String learned = ExperimentRunner.describeParameters(result.outcome().parameters());
        if (!learned.isEmpty()) {
            out.println("Learned parameters: " + learned);
        }
        if (result.outcome().last("eval/accuracy") == 1.0) {
            out.println("Learned: every test example is classified correctly.");
        }
        if (embedded) {
            // The local server stops with this command; ./lab ui serves the same store on a fixed port.
            out.println("Review it in MLflow: ./lab ui, then open " + UiCommand.DEFAULT_URL
                    + result.runUrl().substring(result.runUrl().indexOf("/#/")));
        } else {
            out.println("Review it in MLflow: " + result.runUrl());
        }
    }

    static Path localStore() {
        return RunProvenance.projectRoot().resolve("reports").resolve("mlflow");
    }
}

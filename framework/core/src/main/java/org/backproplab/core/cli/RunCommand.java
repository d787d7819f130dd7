package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.config.ExperimentLoader;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.ExperimentRunner.RunResult;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.sweep.RemoteExecution;
import org.backproplab.core.sweep.SweepOptions;
import org.backproplab.core.sweep.SweepOutcome;
import org.backproplab.core.sweep.SweepPlan;
import org.backproplab.core.sweep.SweepPlanner;
import org.backproplab.core.sweep.SweepRunner;
import org.backproplab.core.sweep.SweepWorker;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowServer;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingTarget;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab run FILE}: validate, train and log one experiment; or, when the file has a {@code sweep:} section,
 * every trial of the sweep under one parent run.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Train an experiment (or every trial of its sweep:) and log it to MLflow.")
final class RunCommand implements Callable<Integer> {

    static final String SPARK_MASTER_VARIABLE = "LAB_SPARK_MASTER";
    private static final String LOCAL = "local";

    @Parameters(index = "0", paramLabel = "FILE", description = "the experiment YAML file")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE",
            description = "override a value of the file, e.g. --set optimizer.lr=0.1 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow server; default: $MLFLOW_TRACKING_URI, then tracking.uri, then a local server on reports/mlflow")
    String trackingUri;

    @Mixin
    PluginOptions plugins;

    @Option(names = "--workers", paramLabel = "N",
            description = "sweeps: run N trials at once, each in its own worker process, PyTorch threads divided among"
                    + " them (default: one trial after another in this process)")
    Integer workers;

    @Option(names = "--resume",
            description = "sweeps: continue the last run of this sweep (same file and --set): skip its finished trials,"
                    + " run the failed, killed and unfinished ones")
    boolean resume;

    @Option(names = "--fail-fast", description = "sweeps: stop at the first failed trial (default: go on with the others)")
    boolean failFast;

    @Option(names = "--dry-run",
            description = "check the file and print what would run (the resolved configuration, or every trial of a"
                    + " sweep); train nothing, log nothing")
    boolean dryRun;

    @Option(names = "--reports-dir", paramLabel = "DIR",
            description = "sweeps: where the summary table and report go (default: reports/ of the project)")
    Path reportsDirectory;

    @Option(names = "--executor", paramLabel = "NAME",
            description = "sweeps: where trials run: local (this machine, the default) or spark (each trial a Spark"
                    + " task; also sweep.executor in the file, or set LAB_SPARK_MASTER)")
    String executor;

    @Option(names = "--master", paramLabel = "URL",
            description = "sweeps on Spark: the cluster's master, e.g. spark://host:7077, yarn, k8s://https://host:6443"
                    + " (default: $LAB_SPARK_MASTER, then sweep.executor.master)")
    String master;

    // A sweep's worker process: trains the trials sent on its input under the parent run (see sweep.WorkerLaunch).
    @Option(names = "--worker", hidden = true)
    boolean worker;

    @Option(names = "--parent-run-id", hidden = true)
    String parentRunId;

    @Override
    public Integer call() throws ConfigException {
        PrintStream out = ConsoleMode.current().progress(System.out); // nothing when --quiet
        Injector injector = plugins.createInjector();
        if (worker) {
            return serveTrialsAsWorker(injector);
        }
        Optional<SweepPlan> sweep = injector.getInstance(SweepPlanner.class).plan(file, overrides);
        if (sweep.isPresent()) {
            return dryRun ? printTrials(sweep.get()) : runSweep(injector, sweep.get(), out);
        }
        if (workers != null || resume || failFast || executor != null || master != null) {
            throw new UserFacingException("--workers, --resume, --fail-fast, --executor and --master apply to sweeps; "
                    + file
                    + " has no sweep: section");
        }
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load(file, overrides);
        if (dryRun) {
            System.out.println("# " + file + " is valid; --dry-run trains nothing and logs nothing. It would run:");
            System.out.print(experiment.resolvedYaml());
            return 0;
        }
        int threads = EngineThreads.configure(experiment.training().threads());
        return withTracker(experiment.tracking().uri(), out, (tracker, embedded) -> {
            out.println("Training " + experiment.name() + " from " + file + " (" + threads + " PyTorch threads)");
            long start = System.nanoTime();
            RunResult result = injector.getInstance(ExperimentRunner.class).run(experiment, overrides, tracker, threads, out);
            // Training may end before its last epoch (stopped early, Ctrl-C): end the progress bar first.
            ConsoleMode.closeOpenDisplays();
            printResult(result, (System.nanoTime() - start) / 1e9, embedded, System.out);
            return result.status() == RunStatus.FINISHED ? 0 : LabCommand.EXIT_RUN_FAILED;
        });
    }

    /** --dry-run of a sweep: every trial with its values and id, as the sweep would run them. */
    private int printTrials(SweepPlan plan) {
        System.out.println(file + " is valid: sweep " + plan.name() + " of " + plan.trials().size() + " trials ("
                + plan.definition().method().name().toLowerCase(Locale.ROOT) + "), objective " + plan.objective().metric() + " ("
                + plan.objective().mode() + "); --dry-run trains nothing and logs nothing.");
        for (var trial : plan.trials()) {
            System.out.printf(Locale.ROOT, "  trial %d  %s  (trial id %s)%n", trial.index(), trial.name(), trial.trialId());
        }
        return 0;
    }

    private int runSweep(Injector injector, SweepPlan plan, PrintStream out) {
        if (workers != null && (workers < 1 || workers > SweepOptions.MAX_WORKERS)) {
            throw new UserFacingException("--workers must be from 1 to " + SweepOptions.MAX_WORKERS + ", got " + workers);
        }
        Experiment first = plan.trial(1).experiment();
        EngineThreads.configure(first.training().threads()); // before PyTorch starts, which fixes its threads
        List<String> workerArguments = new ArrayList<>();
        plugins.directories.forEach(directory -> workerArguments.addAll(List.of("--plugins",
                directory.toAbsolutePath().toString())));
        if (ConsoleMode.current().verbose()) {
            workerArguments.add("--verbose");
        }
        RemoteExecution remote = remoteExecution(plan, System.getenv());
        if (remote != null && workers != null) {
            throw new UserFacingException("--workers runs trials on this machine; with --executor " + remote.executor()
                    + " the cluster's executors run them (drop one of the two)");
        }
        SweepOptions options = new SweepOptions(workers == null ? 0 : workers, resume, failFast,
                reportsDirectory != null ? reportsDirectory : RunProvenance.projectRoot().resolve("reports"),
                requested -> EngineThreads.configure(requested == 0 ? null : requested), workerArguments, remote);
        return withTracker(first.tracking().uri(), out, (tracker, embedded) -> {
            SweepOutcome outcome = injector.getInstance(SweepRunner.class).run(plan, options, tracker, out);
            if (ConsoleMode.current().quiet()) {
                // The table went to the progress stream, which is silent: the result in one line.
                System.out.println(outcome.finished() + " of " + outcome.trials() + " trials finished. Sweep in MLflow: "
                        + outcome.parentRunUrl());
            }
            if (embedded) {
                System.out.println("Review it in MLflow: ./lab ui, then open " + UiCommand.DEFAULT_URL
                        + outcome.parentRunUrl().substring(outcome.parentRunUrl().indexOf("/#/")));
            }
            return outcome.succeeded() ? 0 : LabCommand.EXIT_RUN_FAILED;
        });
    }

    /**
     * Where the sweep's trials run: {@code --executor}, else {@code sweep.executor}, else Spark when
     * {@code LAB_SPARK_MASTER} is set; the master from {@code --master}, else {@code LAB_SPARK_MASTER}, else
     * {@code sweep.executor.master}. {@code null}: on this machine.
     */
    private RemoteExecution remoteExecution(SweepPlan plan, Map<String, String> environment) {
        SweepDefinition.Executor inFile = plan.definition().executor();
        String fromEnvironment = environment.get(SPARK_MASTER_VARIABLE);
        fromEnvironment = fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
        String name = executor != null ? executor.trim().toLowerCase(Locale.ROOT)
                : inFile != null ? inFile.type() : fromEnvironment != null ? "spark" : LOCAL;
        if (name.equals(LOCAL)) {
            if (master != null) {
                throw new UserFacingException("--master applies to a cluster's executor (--executor spark), not to"
                        + " trials on this machine");
            }
            return null;
        }
        String url = master != null && !master.isBlank() ? master.trim() : fromEnvironment != null ? fromEnvironment
                : inFile != null ? inFile.master() : null;
        if (url == null) {
            throw new UserFacingException("--executor " + name + " needs the cluster's master: --master URL (e.g."
                    + " spark://host:7077, yarn, k8s://https://host:6443), $" + SPARK_MASTER_VARIABLE
                    + " or sweep.executor.master in " + file);
        }
        return new RemoteExecution(name, url, inFile != null ? inFile.conf() : Map.of());
    }

    private int serveTrialsAsWorker(Injector injector) throws ConfigException {
        if (parentRunId == null || trackingUri == null) {
            throw new UserFacingException("--worker is for a sweep's worker processes and needs --parent-run-id and"
                    + " --tracking-uri");
        }
        try (MlflowTracker tracker = MlflowTracker.connect(
                TrackingTarget.resolveTrackingUri(trackingUri, System.getenv(), null),
                MlflowCredentials.fromEnvironment(System.getenv()))) {
            // System.out even when quiet: the sweep reads the trials' run ids from it.
            return injector.getInstance(SweepWorker.class).serve(file, overrides, parentRunId, tracker,
                    requested -> EngineThreads.configure(requested == 0 ? null : requested), System.in, System.out);
        }
    }

    /** What to do with a connection to MLflow; {@code embedded} tells whether it is the local server of this command. */
    private interface TrackedAction {
        int run(MlflowTracker tracker, boolean embedded);
    }

    /** Connects to the tracking server, starting the local one on reports/mlflow when none is configured. */
    private int withTracker(String yamlUri, PrintStream out, TrackedAction action) {
        String uri = TrackingTarget.resolveTrackingUri(trackingUri, System.getenv(), yamlUri);
        MlflowServer embedded = null;
        try {
            if (uri == null) {
                out.println("No MLflow server configured: starting the local one on reports/mlflow ...");
                embedded = MlflowServer.start(MlflowServer.defaultExecutable(), localStore(), 0);
                uri = embedded.uri();
            }
            try (MlflowTracker tracker = MlflowTracker.connect(uri, MlflowCredentials.fromEnvironment(System.getenv()))) {
                return action.run(tracker, embedded != null);
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

package org.backproplab.core.cli;

import ai.djl.training.loss.Loss;
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
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.plugin.PluginDirectories;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.ExperimentRunner.RunResult;
import org.backproplab.core.run.RunPlacement;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.sweep.RemoteExecution;
import org.backproplab.core.sweep.SweepOptions;
import org.backproplab.core.sweep.SweepOutcome;
import org.backproplab.core.sweep.SweepPlan;
import org.backproplab.core.sweep.SweepPlanner;
import org.backproplab.core.sweep.SweepRunner;
import org.backproplab.core.sweep.SweepWorker;
import org.backproplab.core.tracking.Backlog;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.tracking.TrackingTarget;
import org.backproplab.core.tracking.TrackingTimeouts;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.TraceCallback;
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

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the experiment YAML file")
    Path file;

    @Option(names = "--from", paramLabel = "RUN_ID",
            description = "re-run a logged run from its recorded resolved configuration (config/experiment.yaml),"
                    + " plugin directories and thread count, instead of a FILE; --set still applies")
    String fromRunId;

    @Option(names = "--sweep", paramLabel = "PATH=V1,V2,...",
            description = "sweep a value over a comma-separated list (repeatable: a grid over every combination),"
                    + " e.g. --sweep optimizer.lr=0.1,0.01; replaces the file's sweep: section")
    List<String> sweepOptions = new ArrayList<>();

    @Option(names = "--json", description = "print the final result as one JSON object on standard output (the"
            + " progress goes to standard error), for scripts")
    boolean json;

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

    @Option(names = "--flush-timeout", paramLabel = "SECONDS",
            description = "at the end, wait at most this long for records MLflow has not received yet; the rest stays"
                    + " in the run's journal for ./lab sync (default: $LAB_MLFLOW_FLUSH_TIMEOUT, else 60)")
    Double flushTimeout;

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

    // ./lab trace FILE --steps N: a single run whose first N steps are traced, then stopped (see TraceCommand).
    Integer traceSteps;

    @Override
    public Integer call() throws ConfigException {
        // With --json, standard output carries the result object only.
        PrintStream out = ConsoleMode.current().progress(json ? System.err : System.out); // nothing when --quiet
        if (worker) {
            return serveTrialsAsWorker(plugins.createInjector());
        }
        if (fromRunId != null) {
            if (file != null || !sweepOptions.isEmpty()) {
                throw new UserFacingException("--from RUN_ID re-runs a logged run: give no FILE and no --sweep with it");
            }
            return rerun(out);
        }
        if (file == null) {
            throw new UserFacingException("give the experiment FILE to run (or --from RUN_ID to re-run a logged run)");
        }
        Injector injector = plugins.createInjector();
        List<String> allOverrides = new ArrayList<>(overrides);
        if (!sweepOptions.isEmpty()) {
            allOverrides.add(SweepOption.asOverride(sweepOptions));
        }
        Optional<SweepPlan> sweep = injector.getInstance(SweepPlanner.class).plan(file, allOverrides);
        if (sweep.isPresent()) {
            return dryRun ? printTrials(sweep.get()) : runSweep(injector, sweep.get(), out);
        }
        if (workers != null || resume || failFast || executor != null || master != null) {
            throw new UserFacingException("--workers, --resume, --fail-fast, --executor and --master apply to sweeps; "
                    + file
                    + " has no sweep: section");
        }
        Experiment experiment = injector.getInstance(ExperimentLoader.class).load(file, allOverrides);
        if (dryRun) {
            return printResolved(experiment);
        }
        int threads = EngineThreads.configure(experiment.training().threads());
        return withTracker(experiment.tracking().uri(), out,
                tracker -> runSingle(injector, experiment, allOverrides, threads, placement(injector, experiment), tracker, out));
    }

    private int printResolved(Experiment experiment) {
        System.out.println("# " + experiment.source() + " is valid; --dry-run trains nothing and logs nothing. It would run:");
        System.out.print(experiment.resolvedYaml());
        return 0;
    }

    private int runSingle(Injector injector, Experiment experiment, List<String> runOverrides, int threads,
            RunPlacement placement, MlflowTracker tracker, PrintStream out) {
        out.println("Training " + experiment.name() + " from " + experiment.source() + " (" + threads + " PyTorch threads)");
        long start = System.nanoTime();
        RunResult result = injector.getInstance(ExperimentRunner.class)
                .run(experiment, runOverrides, tracker, threads, out, placement);
        // Training may end before its last epoch (stopped early, Ctrl-C): end the progress bar first.
        ConsoleMode.closeOpenDisplays();
        double seconds = (System.nanoTime() - start) / 1e9;
        int exitCode = result.status() == RunStatus.FINISHED ? 0 : LabCommand.EXIT_RUN_FAILED;
        if (json) {
            JsonResult.printRun(result, experiment, tracker.trackingUri(), threads, seconds, exitCode);
        } else {
            printResult(result, seconds, System.out);
        }
        return exitCode;
    }

    /** --from RUN_ID: the run's resolved configuration, with its plugin directories and thread count. */
    private int rerun(PrintStream out) {
        return withTracker(null, out, tracker -> {
            Rerun rerun = Rerun.fetch(tracker, fromRunId);
            List<Path> directories = new ArrayList<>(plugins.directories);
            directories.addAll(rerun.pluginDirectories());
            Injector injector = LabModule.createInjector(PluginDirectories.of(System.getenv(), directories));
            rerun.requirePlugins(injector.getInstance(ComponentCatalog.class), System.err::println);
            Experiment experiment;
            try {
                experiment = injector.getInstance(ExperimentLoader.class).load(rerun.file(), overrides);
            } catch (ConfigException e) {
                throw new UserFacingException("--from " + fromRunId + ": its configuration does not load here ("
                        + rerun.file() + "):\n" + e.getMessage(), e);
            }
            if (dryRun) {
                return printResolved(experiment);
            }
            Integer requested = experiment.training().threads() != null ? experiment.training().threads() : rerun.threads();
            int threads = EngineThreads.configure(requested);
            out.println("Re-running MLflow run " + fromRunId + " from its recorded configuration " + rerun.file());
            RunPlacement placement = new RunPlacement(null, null, Map.of(Rerun.RERUN_OF_TAG, fromRunId), runId -> { });
            return runSingle(injector, experiment, overrides, threads, placement, tracker, out);
        });
    }

    /** A top-level run; traced, the trace callback (which needs the experiment's loss) rides along. */
    private RunPlacement placement(Injector injector, Experiment experiment) {
        if (traceSteps == null) {
            return RunPlacement.TOP_LEVEL;
        }
        Loss loss = injector.getInstance(ExperimentTrainer.class).prepare(experiment).lossFunction().loss();
        return new RunPlacement(null, null, Map.of("lab.trace", "first " + traceSteps + " steps"), runId -> { },
                List.of(new TraceCallback(loss, traceSteps, true, System.out)));
    }

    /** --dry-run of a sweep: every trial with its values and id, as the sweep would run them. */
    private int printTrials(SweepPlan plan) {
        System.out.println(file + " is valid: sweep " + plan.name() + " of " + plan.size() + " trials ("
                + plan.definition().method().name().toLowerCase(Locale.ROOT) + "), objective " + plan.objective().metric() + " ("
                + plan.objective().mode() + "); --dry-run trains nothing and logs nothing.");
        if (plan.adaptive()) {
            System.out.println("TPE proposes each trial from the results before it; these samples, every distribution"
                    + " at its bounds and every listed value, were checked:");
            plan.samples().forEach(sample -> System.out.println("  " + sample.name()));
            return 0;
        }
        for (var trial : plan.trials()) {
            System.out.printf(Locale.ROOT, "  trial %d  %s  (trial id %s)%n", trial.index(), trial.name(), trial.trialId());
        }
        return 0;
    }

    private int runSweep(Injector injector, SweepPlan plan, PrintStream out) {
        if (workers != null && (workers < 1 || workers > SweepOptions.MAX_WORKERS)) {
            throw new UserFacingException("--workers must be from 1 to " + SweepOptions.MAX_WORKERS + ", got " + workers);
        }
        Experiment first = plan.first().experiment();
        EngineThreads.configure(first.training().threads()); // before PyTorch starts, which fixes its threads
        List<String> workerArguments = new ArrayList<>();
        plugins.directories.forEach(directory -> workerArguments.addAll(List.of("--plugins",
                directory.toAbsolutePath().toString())));
        if (ConsoleMode.current().verbose()) {
            workerArguments.add("--verbose");
        }
        if (flushTimeout != null) {
            workerArguments.addAll(List.of("--flush-timeout", Double.toString(flushTimeout)));
        }
        RemoteExecution remote = remoteExecution(plan, System.getenv());
        if (remote != null && workers != null) {
            throw new UserFacingException("--workers runs trials on this machine; with --executor " + remote.executor()
                    + " the cluster's executors run them (drop one of the two)");
        }
        SweepOptions options = new SweepOptions(workers == null ? 0 : workers, resume, failFast,
                reportsDirectory != null ? reportsDirectory : RunProvenance.projectRoot().resolve("reports"),
                requested -> EngineThreads.configure(requested == 0 ? null : requested), workerArguments, remote);
        return withTracker(first.tracking().uri(), out, tracker -> {
            SweepOutcome outcome = injector.getInstance(SweepRunner.class).run(plan, options, tracker, out);
            if (json) {
                JsonResult.printSweep(outcome, plan, tracker.trackingUri(), outcome.succeeded() ? 0 : LabCommand.EXIT_RUN_FAILED);
            } else if (ConsoleMode.current().quiet()) {
                // The table went to the progress stream, which is silent: the result in one line.
                System.out.println(outcome.finished() + " of " + outcome.trials() + " trials finished. Sweep in MLflow: "
                        + outcome.parentRunUrl());
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
                : inFile != null ? inFile.type() : fromEnvironment != null ? "spark" : SweepDefinition.Executor.LOCAL;
        if (name.equals(SweepDefinition.Executor.LOCAL)) {
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
        if (trackingUri == null) {
            throw new UserFacingException("--worker is for a sweep's worker processes and needs --tracking-uri");
        }
        try (MlflowTracker tracker = MlflowTracker.connect(
                TrackingTarget.resolveTrackingUri(trackingUri, System.getenv(), null),
                MlflowCredentials.fromEnvironment(System.getenv()), timeouts())) {
            // System.out even when quiet: the sweep reads the trials' run ids from it.
            int exitCode = injector.getInstance(SweepWorker.class).serve(file, overrides, tracker,
                    requested -> EngineThreads.configure(requested == 0 ? null : requested), System.in, System.out);
            reportBacklog(tracker.finishSending());
            return exitCode;
        }
    }

    /** What to do with a connection to MLflow. */
    private interface TrackedAction {
        int run(MlflowTracker tracker);
    }

    /**
     * Connects to the tracking server; when none is configured, to the project's lasting local server on
     * reports/mlflow, started in the background if it is not running (it outlives this command, so links stay valid).
     */
    private int withTracker(String yamlUri, PrintStream out, TrackedAction action) {
        String uri = TrackingTarget.resolveTrackingUri(trackingUri, System.getenv(), yamlUri);
        boolean local = uri == null;
        if (local) {
            uri = LocalServer.ensure(null, out).uri();
        }
        try (MlflowTracker tracker = MlflowTracker.connect(uri, MlflowCredentials.fromEnvironment(System.getenv()),
                timeouts())) {
            if (local) {
                tracker.servingLocalStore(LocalServer.ofProject().store());
            }
            int exitCode = action.run(tracker);
            reportBacklog(tracker.finishSending());
            return exitCode;
        }
    }

    private TrackingTimeouts timeouts() {
        return SyncCommand.timeouts(flushTimeout);
    }

    /** What MLflow has not received when the command ends: how much, where it is kept, how to send it. */
    static void reportBacklog(List<Backlog> backlog) {
        for (Backlog run : backlog) {
            System.err.println("warning: " + run.describe());
        }
    }

    private static void printResult(RunResult result, double seconds, PrintStream out) {
        out.printf(Locale.ROOT, "%s in %.1f s%n", ExperimentRunner.describe(result), seconds);
        String learned = ExperimentRunner.describeParameters(result.outcome().parameters());
        if (!learned.isEmpty()) {
            out.println("Learned parameters: " + learned);
        }
        if (result.outcome().last("eval/accuracy") == 1.0) {
            out.println("Learned: every test example is classified correctly.");
        }
        out.println("Review it in MLflow: " + result.runUrl());
    }

}

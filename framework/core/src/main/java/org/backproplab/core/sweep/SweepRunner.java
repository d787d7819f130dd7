package org.backproplab.core.sweep;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.backproplab.core.plugin.PluginDirectories;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.report.MlflowReportSource;
import org.backproplab.core.report.Report;
import org.backproplab.core.report.ReportData;
import org.backproplab.core.report.ReportUploader;
import org.backproplab.core.report.ReportWriter;
import org.backproplab.core.report.TrialData;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.OrderedShutdown;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.UserFacingException;
import org.mlflow.api.proto.Service.Run;

/**
 * Runs a sweep: a parent run in MLflow with one child run per trial, trials run one after another in this process,
 * in worker processes or on a cluster, a failed trial never ending the sweep (unless {@code --fail-fast}), and at
 * the end a table of the trials best first (console, CSV, Markdown, and an artifact of the parent) and a report
 * with charts.
 * With {@code --resume} it continues the earlier run of the same sweep, skipping the trials that finished there.
 */
public final class SweepRunner {

    /** How long Ctrl-C waits for the running trials to be marked KILLED before marking the parent. */
    private static final long STOP_WAIT_SECONDS = 25;
    private static final DateTimeFormatter DIRECTORY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final ExperimentTrainer trainer;
    private final ExperimentRunner runner;

    private final PluginDirectories plugins;

    @Inject
    public SweepRunner(ExperimentTrainer trainer, ExperimentRunner runner, PluginDirectories plugins) {
        this.trainer = trainer;
        this.runner = runner;
        this.plugins = plugins;
    }

    /**
     * Runs the sweep.
     *
     * @throws UserFacingException before anything is created in MLflow, when a trial's components cannot be
     *     created (missing data, a loss that does not fit the dataset), or when {@code --resume} finds that the
     *     sweep changed since its last run
     */
    public SweepOutcome run(SweepPlan plan, SweepOptions options, MlflowTracker tracker, PrintStream out) {
        if (options.remote() == null && options.workers() > 0) {
            WorkerLaunch launch = WorkerLaunch.likeThisJvm(options.workers(), options.workerArguments());
            // Started here, they load the JVM, PyTorch and the data during the checks (see EarlyWorkers): the
            // lr-sweep's first two trials ended 2.1 s after the sweep's first line, against 4.3 s started after it.
            try (EarlyWorkers early = EarlyWorkers.start(launch, plan, tracker, Math.min(options.workers(), plan.size()))) {
                String device = preflight(plan);
                return run(plan, options, tracker, out, device, null, launch, early);
            }
        }
        String device = preflight(plan);
        if (options.remote() == null) {
            return run(plan, options, tracker, out, device, null, null, EarlyWorkers.NONE);
        }
        // The cluster first: a master that cannot be reached stops the sweep before anything is in MLflow.
        try (ClusterExecutor.Cluster cluster = ClusterExecutors.open(options.remote(), plan, out)) {
            return run(plan, options, tracker, out, device, cluster, null, EarlyWorkers.NONE);
        }
    }

    /** @param launch how to start worker processes; {@code null} without {@code --workers} */
    private SweepOutcome run(SweepPlan plan, SweepOptions options, MlflowTracker tracker, PrintStream out, String device,
            ClusterExecutor.Cluster cluster, WorkerLaunch launch, EarlyWorkers early) {
        boolean inWorkers = launch != null;
        int threads = cluster != null ? cluster.threadsPerTrial()
                : inWorkers ? launch.threadsPerWorker() : threadsOf(plan.first(), options);
        plan.notes().forEach(note -> out.println("Note: " + note));
        SweepControl control = new SweepControl(options.failFast());
        SweepParent parent = openParent(plan, options, tracker, provenance(plan, options, device, threads, plugins), out,
                control::interrupt);
        TrialFeed feed = new TrialFeed(plan, parent, control, tracker, options.resume());
        SweepDefinition definition = plan.definition();
        out.printf(Locale.ROOT, "Sweep %s: %d trials (%s%s), objective %s (%s); %s%n", plan.name(), plan.size(),
                definition.method().key(), definition.pruner() == null ? "" : ", pruner " + definition.pruner().canonicalText(),
                plan.objective().metric(), plan.objective().mode(),
                cluster != null ? "on " + cluster.describe() + ", PyTorch threads per trial: " + threads
                : inWorkers ? options.workers() + " worker processes, PyTorch threads per worker: " + threads
                        : "one trial at a time in this process, PyTorch threads: " + threads);
        if (feed.finishedBefore() > 0) {
            out.println("Resuming: " + feed.finishedBefore() + " trials finished earlier, " + feed.toRun() + " to run.");
        }
        out.println("MLflow parent run " + parent.runId() + ": " + parent.url());

        CountDownLatch ended = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: stop starting trials, let the running ones be marked KILLED, then mark the parent.
        Runnable unregister = OrderedShutdown.beforeClose(() -> {
            control.interrupt();
            try {
                if (!ended.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    parent.run().finish(RunStatus.KILLED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                parent.run().finish(RunStatus.KILLED);
            }
        });
        try {
            try (ProgressDisplay display = ProgressDisplay.forTrials(feed.toRun(), out)) {
                executor(plan, options, launch, early, cluster, tracker, parent, control, out).run(feed, display);
            }
            if (control.interrupted()) {
                parent.run().setTags(Map.of(SweepTags.RESULT, "interrupted"));
                parent.run().finish(RunStatus.KILLED);
                return new SweepOutcome(parent.runId(), parent.url(), 0, plan.size(), false, null);
            }
            return conclude(plan, options, tracker, parent, control, out);
        } catch (RuntimeException e) {
            endQuietly(parent, e);
            throw e;
        } finally {
            ended.countDown();
            unregister.run();
            parent.releaseLease();
        }
    }

    /** Where the trials run: on a cluster, in worker processes, or in this process. */
    private TrialExecutor executor(SweepPlan plan, SweepOptions options, WorkerLaunch launch, EarlyWorkers early,
            ClusterExecutor.Cluster cluster, MlflowTracker tracker, SweepParent parent, SweepControl control, PrintStream out) {
        if (cluster != null) {
            return new RemoteTrials(cluster, plan, tracker, parent, control, options.workerArguments(),
                    MlflowCredentials.variables(System.getenv()));
        }
        if (launch != null) {
            return new WorkerPool(launch, early, options.workers(), plan, tracker, parent, control, out);
        }
        return new InProcessTrials(runner, tracker, parent, control, options.engineThreads(), out, plan.objective().metric());
    }

    /**
     * Creates every distinct combination of the trials' components once, so that missing data or a loss that
     * does not fit the dataset stops the sweep before anything is created, as it stops a single run.
     *
     * @return the device trials train on
     */
    private String preflight(SweepPlan plan) {
        Map<String, Trial> distinct = new LinkedHashMap<>();
        for (Trial trial : plan.samples()) {
            Map<String, Object> resolved = trial.experiment().resolved();
            String components = List.of(resolved.get("dataset"), resolved.get("loss"), resolved.get("model"),
                    trial.experiment().optimizer().type(), trial.experiment().training().device()).toString();
            distinct.putIfAbsent(components, trial);
        }
        Map<String, List<Trial>> trialsByProblem = new LinkedHashMap<>();
        String device = null;
        for (Trial trial : distinct.values()) {
            try {
                device = trainer.prepare(trial.experiment()).device().toString();
            } catch (UserFacingException e) {
                trialsByProblem.computeIfAbsent(e.getMessage(), message -> new ArrayList<>()).add(trial);
            }
        }
        if (trialsByProblem.isEmpty()) {
            return device;
        }
        if (trialsByProblem.size() == 1 && trialsByProblem.values().iterator().next().size() == distinct.size()) {
            throw new UserFacingException(trialsByProblem.keySet().iterator().next());
        }
        throw new UserFacingException("trials cannot start:" + trialsByProblem.entrySet().stream()
                .map(entry -> System.lineSeparator() + "  " + entry.getValue().stream()
                        .map(trial -> "trial " + trial.index() + " (" + trial.name() + ")").collect(Collectors.joining(", "))
                        + ": " + entry.getKey())
                .collect(Collectors.joining()));
    }

    private static int threadsOf(Trial trial, SweepOptions options) {
        Integer requested = trial.experiment().training().threads();
        return options.engineThreads().applyAsInt(requested == null ? 0 : requested);
    }

    private static Map<String, String> provenance(SweepPlan plan, SweepOptions options, String device, int threads,
            PluginDirectories plugins) {
        Map<String, String> tags = new LinkedHashMap<>(
                RunProvenance.tags(plan.first().experiment(), plan.overrides(), device, threads, plugins));
        // --workers changes how the PyTorch threads are divided, so each trial's numbers; --executor where they ran.
        List<String> how = new ArrayList<>();
        if (options.workers() > 0) {
            how.addAll(List.of("--workers", Integer.toString(options.workers())));
        }
        if (options.remote() != null) {
            how.addAll(List.of("--executor", options.remote().executor(), "--master", options.remote().master()));
        }
        tags.put("lab.command", RunProvenance.command(Path.of(plan.fileName()), plan.overrides(), plugins, how));
        tags.remove("mlflow.note.content"); // the parent's note describes the sweep
        return tags;
    }

    /**
     * The parent run, new or resumed, with this process's lease on it.
     *
     * @param onLeaseLost stops the sweep should another process take the lease over
     * @throws UserFacingException if another process runs the sweep to resume (its lease is alive)
     */
    private static SweepParent openParent(SweepPlan plan, SweepOptions options, MlflowTracker tracker,
            Map<String, String> provenance, PrintStream out, Runnable onLeaseLost) {
        Optional<Run> earlier = SweepParent.findEarlier(tracker, plan);
        if (!options.resume()) {
            earlier.ifPresent(run -> out.println("Note: this sweep ran before (run " + run.getInfo().getRunId()
                    + "); starting a new run of it. --resume would continue that one instead."));
            // Nobody can race for a run that shows this process's lease from its creation on: no wait to take it.
            SweepLease.Claim lease = SweepLease.claimNewRun();
            Map<String, String> tags = new LinkedHashMap<>(provenance);
            tags.put(SweepLease.TAG, lease.tagValue());
            SweepParent parent = SweepParent.create(tracker, plan, tags);
            parent.hold(lease.hold(tracker, parent.runId(), onLeaseLost));
            return parent;
        }
        if (earlier.isPresent()) {
            return reopen(plan, tracker, earlier.get(), out, onLeaseLost);
        }
        Optional<Run> changed = SweepParent.findChanged(tracker, plan);
        if (changed.isPresent()) {
            throw new UserFacingException(ResumeRefusal.explain(tracker, plan, changed.get()));
        }
        out.println("Nothing to resume: this sweep has no earlier run in MLflow experiment '" + plan.experimentName()
                + "'; starting it.");
        SweepParent parent = SweepParent.create(tracker, plan, provenance);
        parent.hold(SweepLease.acquire(tracker, parent.runId(), plan.name(), onLeaseLost));
        // Another --resume may have found no parent either and created one meanwhile: the first one created is
        // the sweep's (acquiring the lease, with its wait, took longer than the other's search-to-create gap).
        Optional<Run> first = SweepParent.findFirst(tracker, plan);
        if (first.isPresent() && !first.get().getInfo().getRunId().equals(parent.runId())) {
            parent.withdraw();
            out.println("Another process started this sweep at the same time (run " + first.get().getInfo().getRunId()
                    + "); resuming that one instead of a second parent.");
            return reopen(plan, tracker, first.get(), out, onLeaseLost);
        }
        return parent;
    }

    /**
     * The parent run {@code earlier} reopened, with this process's lease on it, and its trials left running by an
     * interrupted process ended.
     *
     * @throws UserFacingException if another process holds its lease
     */
    private static SweepParent reopen(SweepPlan plan, MlflowTracker tracker, Run earlier, PrintStream out,
            Runnable onLeaseLost) {
        // Before anything changes: a sweep that is still running is left alone.
        SweepLease lease = SweepLease.acquire(tracker, earlier.getInfo().getRunId(), plan.name(), onLeaseLost);
        SweepParent parent = SweepParent.reopen(tracker, plan, earlier);
        parent.hold(lease);
        int abandoned = parent.endAbandonedRuns();
        if (abandoned > 0) {
            out.println("Marked " + abandoned + " trial run(s) left running by the interrupted sweep as KILLED.");
        }
        return parent;
    }

    /** The table, the files, the report and the parent's final state. */
    private SweepOutcome conclude(SweepPlan plan, SweepOptions options, MlflowTracker tracker, SweepParent parent,
            SweepControl control, PrintStream out) {
        Map<Integer, Run> latest = parent.latestAttempts();
        SweepSummary summary = SweepSummary.of(plan, plan.adaptive() ? parent.knownTrials() : plan.trials(), latest);
        out.println();
        out.println("Trials, best first by " + plan.objective().metric() + " (" + plan.objective().mode() + "):");
        out.print(summary.table());
        if (summary.objectiveNeverLogged()) {
            out.println("warning: no trial logged the objective metric " + plan.objective().metric()
                    + "; check objective.metric (trials log e.g. train/loss, eval/loss, eval/accuracy)");
        }
        long finished = summary.count("FINISHED") + summary.count(SweepSummary.PRUNED);
        boolean succeeded = finished > 0 && !control.stoppedByFailure();

        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SweepTags.RESULT, summary.counts() + (control.stopReason() == null ? "" : "; " + control.stopReason()));
        summary.best().ifPresent(best -> {
            tags.put(SweepTags.BEST_RUN_ID, best.runId());
            tags.put(SweepTags.BEST_TRIAL, best.trial().name());
            best.trial().values().forEach((path, value) ->
                    tags.put("lab.sweep.best." + path, MlflowText.tag(ValueText.label(value))));
            parent.run().logMetric("best/" + plan.objective().metric(),
                    best.metric(plan.objective().metric()).orElseThrow(), finished);
            out.println("Best: trial " + best.trial().index() + " (" + best.trial().name() + "), "
                    + plan.objective().metric() + " " + SweepSummary.number(best.metric(plan.objective().metric()).orElseThrow())
                    + ", run " + best.runId());
        });
        parent.run().logMetric("sweep/finished_trials", finished, finished);
        parent.run().logMetric("sweep/failed_trials", summary.count("FAILED"), finished);
        parent.run().setTags(tags);

        // The parent run's id keeps two sweeps of one file that end in the same second apart.
        Path directory = options.reportsDirectory().resolve(plan.name() + "-" + LocalDateTime.now().format(DIRECTORY_TIME)
                + "-" + parent.runId().substring(0, Math.min(8, parent.runId().length())));
        Path written = writeSummary(summary, directory, parent, out);
        writeReport(plan, tracker, parent, latest, directory, out);
        if (control.stopReason() != null) {
            out.println("The sweep " + control.stopReason() + "; --resume runs the remaining trials.");
        }
        parent.run().finish(succeeded ? RunStatus.FINISHED : RunStatus.FAILED);
        out.println(summary.counts() + ". Sweep in MLflow: " + parent.url());
        return new SweepOutcome(parent.runId(), parent.url(), finished, plan.size(), succeeded, written);
    }

    private static Path writeSummary(SweepSummary summary, Path directory, SweepParent parent, PrintStream out) {
        // To MLflow first: an unwritable reports folder must not cost the run its summary.
        parent.run().logArtifact("summary", "summary.csv", summary.csv().getBytes(StandardCharsets.UTF_8));
        parent.run().logArtifact("summary", "summary.md", summary.markdown().getBytes(StandardCharsets.UTF_8));
        try {
            Files.createDirectories(directory);
            Path csv = Files.writeString(directory.resolve("summary.csv"), summary.csv(), StandardCharsets.UTF_8);
            Path markdown = Files.writeString(directory.resolve("summary.md"), summary.markdown(), StandardCharsets.UTF_8);
            out.println("Summary: " + csv + " and " + markdown.getFileName());
            return directory;
        } catch (IOException e) {
            out.println("warning: the summary could not be written to " + directory + ": " + e.getMessage());
            return null;
        }
    }

    /** The charts and tables of {@code ./lab report}, of the latest attempt at each trial. Never fails the sweep. */
    private static void writeReport(SweepPlan plan, MlflowTracker tracker, SweepParent parent, Map<Integer, Run> latest,
            Path directory, PrintStream out) {
        try {
            Set<String> current = latest.values().stream().map(run -> run.getInfo().getRunId()).collect(Collectors.toSet());
            ReportData all = MlflowReportSource.load(tracker, parent.runId());
            List<TrialData> trials = all.trials().stream().filter(trial -> current.contains(trial.runId())).toList();
            // Only the latest attempt at each trial: a resumed sweep's earlier failures would be listed twice.
            ReportData data = ReportData.of(all.title(), trials).withObjective(plan.objective().metric(),
                    plan.objective().mode());
            Report report = ReportWriter.write(data, directory);
            ReportUploader.upload(parent.run(), report);
            out.println("Report: " + report.html());
        } catch (RuntimeException e) {
            out.println("warning: the sweep's report could not be written: " + e.getMessage());
        }
    }

    private static void endQuietly(SweepParent parent, RuntimeException cause) {
        if (parent.run().isFinished()) {
            return; // it ended as the sweep decided; an error afterwards does not change that
        }
        try {
            parent.run().setTags(Map.of(SweepTags.ERROR, MlflowText.tag(String.valueOf(cause.getMessage()))));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            try {
                parent.run().finish(RunStatus.FAILED);
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}

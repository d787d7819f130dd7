package org.backproplab.core.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.report.MlflowReportSource;
import org.backproplab.core.run.RunPlacement;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunLogger;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.spi.Callback;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;

/**
 * A sweep's parent run in MLflow and what hangs below it: every attempt at a trial is a child run (tag
 * {@code mlflow.parentRunId}) carrying the trial's id, so that the latest attempt of each trial, and whether it
 * finished, can always be read back from the server.
 */
final class SweepParent {

    /** MLflow keeps at most this many characters of a param. */
    private static final int MAX_PARAM_LENGTH = 6000;

    private final MlflowTracker tracker;
    private final SweepPlan plan;
    private final RunLogger run;
    /** The trials known so far by id: all of a grid or random search's; an adaptive sweep's as they are proposed or found. */
    private final Map<String, Trial> trialsById = new ConcurrentHashMap<>();
    private SweepLease lease;

    private SweepParent(MlflowTracker tracker, SweepPlan plan, RunLogger run) {
        this.tracker = tracker;
        this.plan = plan;
        this.run = run;
        plan.trials().forEach(trial -> trialsById.put(trial.trialId(), trial));
    }

    /** Creates the parent run, tagged and with the sweep's definition as params and artifact. */
    static SweepParent create(MlflowTracker tracker, SweepPlan plan, Map<String, String> provenance) {
        Map<String, String> tags = new LinkedHashMap<>(provenance);
        tags.put(SweepTags.SWEEP_ID, plan.sweepId());
        tags.put(SweepTags.ROLE, SweepTags.PARENT);
        tags.put(SweepTags.NAME, plan.name());
        tags.put(SweepTags.DEFINITION_HASH, plan.definitionHash());
        tags.put(SweepTags.CONFIGURATION_HASH, plan.configurationHash());
        // The report reads the objective from these; MLflow shows them on the run page.
        tags.put(MlflowReportSource.OBJECTIVE_METRIC_TAG, plan.objective().metric());
        tags.put(MlflowReportSource.OBJECTIVE_MODE_TAG, plan.objective().mode());
        String description = plan.first().experiment().description();
        tags.put("mlflow.note.content", (description == null || description.isBlank() ? "" : description + "\n\n")
                + describe(plan));
        String runName = plan.first().experiment().tracking().runName();
        RunLogger run = tracker.startRun(plan.experimentName(), runName, tags, null);
        SweepParent parent = new SweepParent(tracker, plan, run);
        run.logParams(params(plan));
        run.logArtifact(SweepTags.DEFINITION_ARTIFACT_DIRECTORY, SweepTags.DEFINITION_ARTIFACT_FILE,
                plan.definition().canonicalYaml().getBytes(StandardCharsets.UTF_8));
        Path source = Path.of(plan.fileName());
        if (Files.isRegularFile(source)) {
            try {
                run.logArtifact("config", "source.yaml", Files.readAllBytes(source));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + source + ": " + e.getMessage(), e);
            }
        }
        return parent;
    }

    /** The parent run of an earlier run of this sweep, running again. */
    static SweepParent reopen(MlflowTracker tracker, SweepPlan plan, Run earlier) {
        return new SweepParent(tracker, plan, tracker.attachRun(earlier.getInfo().getRunId(), true));
    }

    RunLogger run() {
        return run;
    }

    /** Keeps this process's lease on the parent until {@link #releaseLease()}. */
    void hold(SweepLease lease) {
        this.lease = lease;
    }

    /** Gives the lease up: the sweep is over here. */
    void releaseLease() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    String runId() {
        return run.runId();
    }

    String url() {
        return tracker.trackingUri() + "/#/experiments/" + run.experimentId() + "/runs/" + run.runId();
    }

    /** Where a trial's run goes: under this parent, named by its values, tagged with its id; with the trial's callbacks. */
    RunPlacement placement(Trial trial, Consumer<String> onRunStarted, List<Callback> callbacks) {
        return new RunPlacement(runId(), SweepTags.runName(plan, trial), SweepTags.ofTrial(plan, trial), onRunStarted, callbacks);
    }

    /** Makes {@code trial} (proposed by an adaptive sweep) one of this sweep's, so its runs are recognised. */
    void register(Trial trial) {
        trialsById.put(trial.trialId(), trial);
    }

    /** Every trial known so far, by index. */
    List<Trial> knownTrials() {
        return trialsById.values().stream().sorted(Comparator.comparingInt(Trial::index)).toList();
    }

    /**
     * The trial a child run is an attempt at: a known trial, or for an adaptive sweep the trial rebuilt from the
     * values on the run (when resuming); {@code null} when it is none of this sweep's.
     */
    Trial trialOf(Run child) {
        String id = SweepTags.of(child, SweepTags.TRIAL_ID);
        if (id == null) {
            return null;
        }
        Trial known = trialsById.get(id);
        String values = SweepTags.of(child, SweepTags.TRIAL_VALUES);
        String index = SweepTags.of(child, SweepTags.TRIAL_INDEX);
        if (known != null || !plan.adaptive() || values == null || index == null || !index.matches("\\d{1,9}")) {
            return known;
        }
        try {
            Trial rebuilt = plan.maker().make(Integer.parseInt(index), TrialJson.values(values));
            if (!rebuilt.trialId().equals(id)) {
                return null; // its configuration changed since: not this sweep's trial any more
            }
            trialsById.put(id, rebuilt);
            return rebuilt;
        } catch (ConfigException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Adds tags to a trial's run, ended or not, on the server before returning: the sweep's summary, read right
     * after the last trial, must see them (through a journal they arrived later, and a pruned trial showed FINISHED).
     */
    void tagTrialRun(String trialRunId, Map<String, String> tags) {
        tags.forEach((key, value) -> tracker.setTagNow(trialRunId, key, value));
    }

    /** Every child run, newest first. */
    List<Run> childRuns() {
        return tracker.searchRuns(run.experimentId(), SweepTags.filter(MlflowTracker.PARENT_RUN_ID_TAG, runId()));
    }

    /** The latest attempt at each trial that has one, by trial index. */
    Map<Integer, Run> latestAttempts() {
        Map<Integer, Run> latest = new LinkedHashMap<>();
        childRuns().stream()
                .sorted(Comparator.comparingLong((Run child) -> child.getInfo().getStartTime()))
                .forEach(child -> {
                    Trial trial = trialOf(child);
                    if (trial != null) {
                        latest.put(trial.index(), child);
                    }
                });
        return latest;
    }

    /** Whether some attempt at {@code trial} finished: such a trial is never run again. */
    boolean hasFinished(Trial trial) {
        String filter = SweepTags.filter(MlflowTracker.PARENT_RUN_ID_TAG, runId()) + " and "
                + SweepTags.filter(SweepTags.TRIAL_ID, trial.trialId()) + " and attributes.status = 'FINISHED'";
        return !tracker.searchRuns(run.experimentId(), filter).isEmpty();
    }

    /**
     * The id of a run of {@code trial} still RUNNING, if any: a worker may die after the server created its run but
     * before it could say so.
     */
    Optional<String> runningAttempt(Trial trial) {
        String filter = SweepTags.filter(MlflowTracker.PARENT_RUN_ID_TAG, runId()) + " and "
                + SweepTags.filter(SweepTags.TRIAL_ID, trial.trialId()) + " and attributes.status = 'RUNNING'";
        return tracker.searchRuns(run.experimentId(), filter).stream().map(child -> child.getInfo().getRunId()).findFirst();
    }

    /** The trials some earlier attempt finished. */
    List<Trial> finishedTrials() {
        return childRuns().stream()
                .filter(child -> child.getInfo().getStatus() == Service.RunStatus.FINISHED)
                .map(this::trialOf)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .sorted(Comparator.comparingInt(Trial::index))
                .toList();
    }

    /**
     * Marks child runs still RUNNING as KILLED: an earlier run of the sweep was stopped without ending them
     * (its process was killed). Called when resuming, before anything new starts.
     *
     * @return how many there were
     */
    int endAbandonedRuns() {
        List<Run> abandoned = childRuns().stream()
                .filter(child -> child.getInfo().getStatus() == Service.RunStatus.RUNNING).toList();
        for (Run child : abandoned) {
            endTrialRun(child.getInfo().getRunId(), RunStatus.KILLED,
                    "left running by an interrupted run of the sweep; run again on resume");
        }
        return abandoned.size();
    }

    /** Records a trial whose run was never created (its worker died first, or a component failed) as a FAILED child. */
    void recordFailedTrial(Trial trial, String reason) {
        Map<String, String> tags = new LinkedHashMap<>(SweepTags.ofTrial(plan, trial));
        tags.put(SweepTags.ERROR, MlflowText.tag(reason));
        RunLogger child = tracker.startRun(plan.experimentName(), trial.name(), tags, runId());
        try {
            child.logParams(trial.experiment().flattenedParameters()); // so it lines up with the others in Compare
        } finally {
            child.finish(RunStatus.FAILED);
        }
    }

    /** Ends a trial's run that its worker could not end, giving the reason. */
    void endTrialRun(String trialRunId, RunStatus status, String reason) {
        RunLogger child = tracker.attachRun(trialRunId, false);
        child.setTags(Map.of(SweepTags.ERROR, MlflowText.tag(reason)));
        child.finish(status);
    }

    /** One line per swept parameter, for the run's description in MLflow. */
    private static String describe(SweepPlan plan) {
        SweepDefinition definition = plan.definition();
        String header = switch (definition.method()) {
            case GRID -> "Grid sweep of " + plan.size() + " trials";
            case RANDOM -> "Random search of " + plan.size() + " trials (seed " + definition.seed() + ")";
            case TPE -> "TPE search of " + plan.size() + " trials (seed " + definition.seed() + ", "
                    + definition.startupTrials() + " random start-up trials)";
        };
        if (definition.pruner() != null) {
            header += ", pruned by " + definition.pruner().canonicalText();
        }
        String objective = plan.objective().metric();
        String swept = definition.parameters().stream().map(parameter -> "`" + parameter.path() + "`")
                .collect(Collectors.joining(", "));
        return header + ", objective " + objective + " (" + plan.objective().mode() + "):\n\n"
                + definition.parameters().stream().map(parameter -> "- `" + parameter.path() + "`: " + domain(parameter))
                        .collect(Collectors.joining("\n"))
                // How to read it in MLflow's own views, since the runs table shows none of this by default.
                + "\n\n**How to view it.** In the experiment's runs table, expand this run to list its trials (named by"
                + " their values; each trial's page lists them in full). Under *Columns*, add the parameters " + swept
                + " and the metric `" + objective + "`. Tick the trials and press *Compare*: the *Parallel Coordinates"
                + " Plot* over " + swept + " and `" + objective + "` shows which values win, the *Scatter Plot* one"
                + " parameter against `" + objective + "`. The best trial is in the tags `lab.sweep.best_trial` and"
                + " `lab.sweep.best_run_id`, its value in the metric `best/" + objective + "`; the report (charts,"
                + " `report.html`) is under this run's artifacts.";
    }

    private static Map<String, String> params(SweepPlan plan) {
        SweepDefinition definition = plan.definition();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sweep.method", definition.method().key());
        params.put("sweep.trials", Integer.toString(plan.size()));
        if (definition.method() != SweepDefinition.Method.GRID) {
            params.put("sweep.seed", Long.toString(definition.seed()));
        }
        if (definition.method() == SweepDefinition.Method.TPE) {
            params.put("sweep.startup_trials", Integer.toString(definition.startupTrials()));
        }
        if (definition.pruner() != null) {
            params.put("sweep.pruner", definition.pruner().canonicalText());
        }
        params.put("sweep.parameters", definition.parameters().stream().map(SweepDefinition.Parameter::path)
                .collect(Collectors.joining(", ")));
        for (SweepDefinition.Parameter parameter : definition.parameters()) {
            params.put("sweep." + parameter.path(), MlflowText.cut(domain(parameter), MAX_PARAM_LENGTH));
        }
        params.put("objective.metric", plan.objective().metric());
        params.put("objective.mode", plan.objective().mode());
        return params;
    }

    /** {@code [0.001, 0.01]}, {@code log_uniform(0.0001, 1)}, with {@code when optimizer.type in [sgd]}. */
    static String domain(SweepDefinition.Parameter parameter) {
        String domain = parameter.isChoice()
                ? ValueText.label(parameter.values().stream().map(SweepDefinition.Value::value).toList())
                : parameter.range().distribution().key() + "(" + ValueText.number(parameter.range().min()) + ", "
                        + ValueText.number(parameter.range().max()) + ")";
        if (!parameter.when().isEmpty()) {
            domain += " when " + parameter.when().entrySet().stream()
                    .map(condition -> condition.getKey() + " in " + ValueText.label(condition.getValue()))
                    .collect(Collectors.joining(" and "));
        }
        return domain;
    }

    /** The earlier parent run of this very sweep (same definition, file and overrides), if any. */
    static Optional<Run> findEarlier(MlflowTracker tracker, SweepPlan plan) {
        String experimentId = tracker.experimentId(plan.experimentName());
        return tracker.searchRuns(experimentId, SweepTags.filter(SweepTags.SWEEP_ID, plan.sweepId()) + " and "
                + SweepTags.filter(SweepTags.ROLE, SweepTags.PARENT)).stream().findFirst();
    }

    /**
     * The first parent run of this very sweep still active: by start time, then run id, so every process that
     * looks picks the same one. Two {@code --resume} started together with no parent yet each create one; the
     * later one sees the earlier one here and gives way.
     */
    static Optional<Run> findFirst(MlflowTracker tracker, SweepPlan plan) {
        String experimentId = tracker.experimentId(plan.experimentName());
        return tracker.searchRuns(experimentId, SweepTags.filter(SweepTags.SWEEP_ID, plan.sweepId()) + " and "
                + SweepTags.filter(SweepTags.ROLE, SweepTags.PARENT)).stream()
                .min(Comparator.comparingLong((Run run) -> run.getInfo().getStartTime())
                        .thenComparing(run -> run.getInfo().getRunId()));
    }

    /**
     * Takes this parent back: lease released, the run ended KILLED and then deleted, so that the sweep it
     * duplicated keeps a single parent.
     */
    void withdraw() {
        releaseLease();
        run.finish(RunStatus.KILLED);
        tracker.deleteRun(runId());
    }

    /** The latest parent run of a sweep of this experiment with another definition or configuration, if any. */
    static Optional<Run> findChanged(MlflowTracker tracker, SweepPlan plan) {
        String experimentId = tracker.experimentId(plan.experimentName());
        return tracker.searchRuns(experimentId, SweepTags.filter(SweepTags.NAME, plan.name()) + " and "
                + SweepTags.filter(SweepTags.ROLE, SweepTags.PARENT)).stream()
                .filter(run -> !plan.sweepId().equals(SweepTags.of(run, SweepTags.SWEEP_ID)))
                .findFirst();
    }
}

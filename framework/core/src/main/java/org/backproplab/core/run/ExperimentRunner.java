package org.backproplab.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.plugin.PluginDirectories;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.OrderedShutdown;
import org.backproplab.core.tracking.RunLogger;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.ExplosionWatch;
import org.backproplab.core.training.PreparedExperiment;
import org.backproplab.core.training.TrainingListener;
import org.backproplab.core.training.TrainingOutcome;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Callback;
import org.slf4j.LoggerFactory;

/**
 * Runs one experiment as one MLflow run: every component is created first (so a bad component
 * logs nothing), then the run is created with its provenance tags, parameters and resolved config,
 * trained, and closed FINISHED, FAILED (diverged or crashed) or KILLED (Ctrl-C).
 */
public final class ExperimentRunner {

    /** Why a FINISHED run is still suspect (an explosion it survived): the tag a sweep's summary shows too. */
    public static final String WARNING_TAG = "lab.warning";


    /** How long a shutdown waits for training to stop and close its run. */
    private static final long STOP_WAIT_SECONDS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentTrainer trainer;
    private final PluginDirectories plugins;

    @Inject
    public ExperimentRunner(ExperimentTrainer trainer, PluginDirectories plugins) {
        this.trainer = trainer;
        this.plugins = plugins;
    }

    /** What came of a run. */
    public record RunResult(String runId, String runUrl, RunStatus status, TrainingOutcome outcome) {}

    /** Runs the experiment, logging to {@code tracker}; {@code threads} is recorded, not set, here. */
    public RunResult run(Experiment experiment, List<String> overrides, MlflowTracker tracker, int threads, PrintStream out) {
        return run(experiment, overrides, tracker, threads, out, RunPlacement.TOP_LEVEL);
    }

    /**
     * Runs the experiment as {@link #run(Experiment, List, MlflowTracker, int, PrintStream)} does, placed in MLflow
     * as {@code placement} says (e.g. as a sweep's trial, under the sweep's parent run).
     *
     * @param overrides the overrides that re-run it, for the {@code lab.command} tag
     */
    public RunResult run(Experiment experiment, List<String> overrides, MlflowTracker tracker, int threads, PrintStream out,
            RunPlacement placement) {
        PreparedExperiment prepared = trainer.prepare(experiment);
        String experimentName = experiment.tracking().experiment() != null ? experiment.tracking().experiment() : experiment.name();
        String runName = placement.runName() != null ? placement.runName()
                : experiment.tracking().runName() != null ? experiment.tracking().runName() : experiment.name();
        Map<String, String> tags = new LinkedHashMap<>(
                RunProvenance.tags(experiment, overrides, prepared.device().toString(), threads, plugins));
        tags.putAll(placement.tags());
        RunLogger run = tracker.startRun(experimentName, runName, tags, placement.parentRunId());
        placement.onRunStarted().accept(run.runId());
        String runUrl = tracker.trackingUri() + "/#/experiments/" + run.experimentId() + "/runs/" + run.runId();
        out.println("MLflow run " + run.runId() + " (experiment '" + experimentName + "'): " + runUrl);
        // Ctrl-C or SIGTERM: mark the run KILLED and send what was measured before the JVM goes.
        // Ctrl-C or SIGTERM: ask training to stop at the next step and wait until the run is marked KILLED
        // with everything measured sent; mark it directly if training does not come back in time.
        AtomicBoolean stopRequested = new AtomicBoolean();
        CountDownLatch runClosed = new CountDownLatch(1);
        Runnable unregisterKilled = OrderedShutdown.beforeClose(() -> {
            stopRequested.set(true);
            try {
                if (!runClosed.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    run.finish(RunStatus.KILLED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.finish(RunStatus.KILLED);
            }
        });
        try {
            run.logParams(experiment.flattenedParameters());
            logDataset(experiment, run);
            run.logArtifact("config", "experiment.yaml", experiment.resolvedYaml().getBytes(StandardCharsets.UTF_8));
            if (Files.isRegularFile(experiment.source())) {
                run.logArtifact("config", "source.yaml", Files.readAllBytes(experiment.source()));
            }
            TrainingListener toMlflow = new TrainingListener() {
                @Override
                public void onMetric(String key, double value, long step) {
                    run.logMetric(key, value, step);
                }

                @Override
                public void onArtifact(Artifact artifact) {
                    run.logArtifact(artifact.directory(), artifact.fileName(), artifact.content());
                }
            };
            List<Callback> callbacks = new ArrayList<>(placement.callbacks());
            callbacks.add(0, new ConsoleReporter(out));
            ExplosionWatch explosions = new ExplosionWatch();
            callbacks.add(1, explosions);
            TrainingOutcome outcome = trainer.train(prepared, toMlflow, callbacks, stopRequested::get);
            // A run that survived an explosion still says so: FINISHED is not "fine".
            explosions.warning().ifPresent(warning -> {
                run.setTags(Map.of(WARNING_TAG, warning));
                out.println("Warning: " + warning);
            });
            run.logMetric("summary/seconds_per_epoch", outcome.secondsPerEpoch(), outcome.steps());
            if (!outcome.parameters().isEmpty()) {
                run.logArtifact("model", "parameters.json", parametersJson(outcome.parameters()).getBytes(StandardCharsets.UTF_8));
            }
            run.setTags(Map.of("lab.outcome", outcome.message()));
            RunStatus status = switch (outcome.ending()) {
                case COMPLETED -> RunStatus.FINISHED;
                case DIVERGED -> RunStatus.FAILED;
                case STOPPED -> RunStatus.KILLED;
            };
            run.finish(status);
            return new RunResult(run.runId(), runUrl, status, outcome);
        } catch (IOException | RuntimeException e) {
            if (!run.isFinished()) { // an error after the run ended (say, Ctrl-C's hook ended it) changes nothing there
                try {
                    String message = String.valueOf(e.getMessage());
                    run.setTags(Map.of("lab.error", message.length() > 4000 ? message.substring(0, 4000) + "..." : message));
                } finally {
                    run.finish(stopRequested.get() ? RunStatus.KILLED : RunStatus.FAILED);
                }
            }
            if (e instanceof IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        } finally {
            runClosed.countDown();
            unregisterKilled.run();
        }
    }

    /**
     * The dataset as an MLflow input: its type as name, its resolved settings as source, their hash as digest (the
     * same settings and seed give the same data). Journaled and sent as the other records; a server that refuses it
     * only costs a warning.
     */
    private static void logDataset(Experiment experiment, RunLogger run) {
        Object settings = experiment.resolved().get("dataset");
        try {
            String source = JSON.writeValueAsString(Map.of("type", experiment.dataset().type(), "settings",
                    settings == null ? Map.of() : settings, "seed", experiment.seed()));
            String digest = com.google.common.hash.Hashing.sha256().hashString(source, StandardCharsets.UTF_8).toString()
                    .substring(0, 8);
            run.logDatasetInput(experiment.dataset().type(), digest, "local", source);
        } catch (JsonProcessingException e) {
            LoggerFactory.getLogger(ExperimentRunner.class).warn("Could not log the dataset input of run {}: {}",
                    run.runId(), e.getMessage());
        }
    }

    /** Small models' trained parameters as JSON: name -> flat values in DJL's layout (NaN kept, as the string "NaN"). */
    static String parametersJson(Map<String, float[]> parameters) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(parameters) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("float arrays always serialise", e);
        }
    }

    /** The trained parameters of a tiny model in one line, e.g. "weight = [2.0, -3.4], bias = [4.2]"; empty for larger ones. */
    public static String describeParameters(Map<String, float[]> parameters) {
        if (parameters.isEmpty() || parameters.values().stream().mapToInt(values -> values.length).sum() > 20) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        parameters.forEach((name, values) -> {
            text.append(text.length() > 0 ? ", " : "").append(name).append(" = [");
            for (int i = 0; i < values.length; i++) {
                text.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", values[i]));
            }
            text.append(']');
        });
        return text.toString();
    }

    /** One line about the result, for the end of the console output. */
    public static String describe(RunResult result) {
        return String.format(Locale.ROOT, "%s: %s", result.status(), result.outcome().message());
    }
}

package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.plugin.PluginDirectories;
import org.backproplab.core.sweep.SweepWorker;
import org.backproplab.core.sweep.TrialRequest;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingTarget;
import org.backproplab.core.tracking.TrackingTimeouts;
import org.backproplab.core.training.UserFacingException;

/**
 * Trains trials sent from a sweep on another machine, e.g. in a Spark executor: the same path as a
 * {@code --workers} process ({@link SweepWorker}), one trial at a time per JVM. The components (and so what
 * they keep loaded, such as datasets) and the sweep's plan are made once per JVM and kept for its later trials.
 */
public final class TrialHost {

    /** The components and the worker, by plugin options: one set for every trial of a sweep. */
    private static final Map<List<String>, SweepWorker> WORKERS = new HashMap<>();
    /** What this host's messages call the MLflow server, whose address they never show. */
    private static final String SERVER_NAME = "of the sweep (its address is not shown on executors)";

    private TrialHost() {}

    /**
     * Trains one trial and ends its run in MLflow.
     *
     * @param hostTags tags that say where it ran, e.g. {@code lab.trial.host}
     * @return the run's id, or why the trial could not start there (its components could not be created, or
     *     the file is not the sweep's); nothing was logged then
     * @throws org.backproplab.core.tracking.TrackingException if MLflow cannot be reached from here
     */
    public static synchronized TrialRequest.Reply run(TrialRequest request, Map<String, String> hostTags) {
        SweepWorker worker = WORKERS.computeIfAbsent(request.pluginArguments(), TrialHost::worker);
        String uri = TrackingTarget.resolveTrackingUri(request.trackingUri(), Map.of(), null);
        // Logs and errors here end up in the executor's output, on show in the cluster: they name no address.
        try (MlflowTracker tracker = MlflowTracker.connect(uri,
                MlflowCredentials.fromEnvironment(request.trackingEnvironment()), TrackingTimeouts.current(),
                SERVER_NAME)) {
            String runId = worker.runTrial(localFile(request), request.overrides(), request.index(), request.trialId(),
                    request.values(), request.parentRunId(), tracker,
                    requested -> EngineThreads.configure(requested == 0 ? null : requested), trialOutput(request),
                    request.pruning(), hostTags);
            return new TrialRequest.Reply(runId, null);
        } catch (UserFacingException e) {
            return new TrialRequest.Reply(null, e.getMessage());
        } catch (ConfigException e) {
            return new TrialRequest.Reply(null, "the experiment file is not valid on this host: " + e.getMessage());
        }
    }

    /**
     * Nothing unless the sweep is verbose: a trial's lines name its MLflow run's address, and an executor's output
     * is on show in the cluster's UI.
     */
    private static PrintStream trialOutput(TrialRequest request) {
        return request.pluginArguments().contains("--verbose") ? System.out
                : new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static SweepWorker worker(List<String> pluginArguments) {
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i + 1 < pluginArguments.size(); i++) { // --plugins DIR pairs, and --verbose
            if (pluginArguments.get(i).equals("--plugins")) {
                directories.add(Path.of(pluginArguments.get(i + 1)));
            }
        }
        Injector injector = LabModule.createInjector(PluginDirectories.of(System.getenv(), directories));
        return injector.getInstance(SweepWorker.class);
    }

    /**
     * The experiment file on this machine: the sweep's own when this machine has it unchanged (its relative
     * paths then mean the same), else a copy of the sweep's text under the same name.
     */
    private static Path localFile(TrialRequest request) {
        Path same = Path.of(request.path());
        try {
            if (Files.isRegularFile(same) && Files.readString(same, StandardCharsets.UTF_8).equals(request.content())) {
                return same;
            }
            Path directory = Path.of(System.getProperty("java.io.tmpdir"), "lab-sweep-files",
                    Integer.toHexString(request.content().hashCode()));
            Files.createDirectories(directory);
            Path copy = directory.resolve(Path.of(request.fileName()).getFileName());
            if (!Files.isRegularFile(copy) || !Files.readString(copy, StandardCharsets.UTF_8).equals(request.content())) {
                Files.writeString(copy, request.content(), StandardCharsets.UTF_8);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep's file on this host", e);
        }
    }
}

package org.backproplab.core.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One trial to train on another machine: everything its host needs, and nothing it would have to find there
 * except the project's jars and the data. Serializable: a cluster ships it inside the task. It carries the MLflow
 * credentials, so that they never appear on a command line, in the cluster's settings or its UI; its
 * {@link #toString()} leaves them out.
 *
 * @param fileName the experiment file as the user named it
 * @param path its absolute path here; the host uses it when it has the same file there (relative data paths)
 * @param content the file's text, which the host uses otherwise
 * @param overrides the command line's {@code --set} overrides
 * @param pluginArguments {@code --plugins DIR} options, as a worker process gets them
 * @param index the trial's number
 * @param trialId the id the sweep expects the trial to have (the host checks it)
 * @param values the trial's swept values as JSON, as a worker's trial command carries them: the host makes the
 *     trial from them (a TPE trial exists only once proposed)
 * @param parentRunId the sweep's parent run
 * @param trackingUri the MLflow server
 * @param trackingEnvironment the MLflow credential variables ({@code MLFLOW_TRACKING_USERNAME}...) of this process
 * @param pruning where the trial reports its objective at each evaluation, for the sweep's pruner; {@code null}
 *     when the sweep prunes nothing
 */
public record TrialRequest(String fileName, String path, String content, List<String> overrides,
        List<String> pluginArguments, int index, String trialId, String values, String parentRunId, String trackingUri,
        Map<String, String> trackingEnvironment, PruningLine.Address pruning) implements Serializable {

    private static final long serialVersionUID = 1L;

    public TrialRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(values, "values");
        overrides = List.copyOf(overrides);
        pluginArguments = List.copyOf(pluginArguments);
        trackingEnvironment = Map.copyOf(trackingEnvironment);
    }

    @Override
    public String toString() {
        return "TrialRequest[" + fileName + " trial " + index + " (" + trialId + "), parent run " + parentRunId + "]";
    }

    /**
     * What the host reports when it has ended the trial's run.
     *
     * @param runId the run it trained, whose status and outcome are in MLflow; {@code null} when none was created
     * @param refused why the trial could not start, e.g. its data is missing there; {@code null} when it ran
     */
    public record Reply(String runId, String refused) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}

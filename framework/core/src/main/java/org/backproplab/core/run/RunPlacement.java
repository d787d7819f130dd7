package org.backproplab.core.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.backproplab.spi.Callback;

/**
 * Where {@link ExperimentRunner} puts a run in MLflow: at the top level under the experiment's run name, or
 * nested under a parent (a sweep's trial) with its own name and extra tags.
 *
 * @param parentRunId the run it nests under ({@code mlflow.parentRunId}); {@code null} for a top-level run
 * @param runName the run's name; {@code null} for the experiment's {@code tracking.run_name}
 * @param tags tags added to the provenance tags (and overriding them)
 * @param onRunStarted told the run id as soon as the run exists, before training: a sweep's worker process
 *     reports it so that the sweep can mark the run if the worker dies
 * @param callbacks run by the trainer after every other callback, e.g. a sweep's pruner; one of them
 *     stopping training ends the run FINISHED with its reason as the outcome
 */
public record RunPlacement(String parentRunId, String runName, Map<String, String> tags, Consumer<String> onRunStarted,
        List<Callback> callbacks) {

    /** A top-level run named by the experiment. */
    public static final RunPlacement TOP_LEVEL = new RunPlacement(null, null, Map.of(), runId -> { });

    public RunPlacement {
        tags = Map.copyOf(tags);
        Objects.requireNonNull(onRunStarted, "onRunStarted");
        callbacks = List.copyOf(callbacks);
    }

    /** A placement without callbacks of its own. */
    public RunPlacement(String parentRunId, String runName, Map<String, String> tags, Consumer<String> onRunStarted) {
        this(parentRunId, runName, tags, onRunStarted, List.of());
    }
}

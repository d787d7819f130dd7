package org.backproplab.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An experiment file, loaded, overridden and checked: everything a run needs, with every default
 * filled in.
 *
 * @param name the experiment's name
 * @param seed the random seed
 * @param description free text, or {@code null}
 * @param source the file it was loaded from (for a text loaded directly, its file name as a path)
 * @param dataset the {@code dataset:} block
 * @param model the {@code model:} block
 * @param loss the {@code loss:} block
 * @param optimizer the {@code optimizer:} block
 * @param schedule the {@code optimizer.schedule:} block, or {@code null} for a constant learning rate
 * @param metrics the {@code metrics:} list, or {@code null} when absent (each metric that is on by
 *     default for the dataset's task is then computed)
 * @param callbacks the {@code callbacks:} list, or {@code null} when absent
 * @param training the {@code training:} section
 * @param tracking the {@code tracking:} section, its names filled in from the experiment's name
 * @param diagnostics the {@code diagnostics:} section: per-layer measurements
 * @param sweep the {@code sweep:} section as written, or {@code null}
 * @param objective the {@code objective:} section as written, or {@code null}
 * @param resolved the whole document after overrides with every default filled in, in file order:
 *     String, Long, Double, Boolean, null, List and insertion-ordered Map values; enums in lower case
 */
public record Experiment(
        String name,
        long seed,
        String description,
        Path source,
        BoundComponent dataset,
        BoundComponent model,
        BoundComponent loss,
        BoundComponent optimizer,
        ScheduleChoice schedule,
        List<BoundComponent> metrics,
        List<BoundComponent> callbacks,
        TrainingSettings training,
        TrackingSettings tracking,
        DiagnosticsSettings diagnostics,
        Map<String, Object> sweep,
        Map<String, Object> objective,
        Map<String, Object> resolved) {

    public Experiment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(diagnostics, "diagnostics");
        Objects.requireNonNull(resolved, "resolved");
    }

    /**
     * The resolved document as block-style YAML: what actually ran, to keep with the run. Loading it
     * again gives the same {@link #resolved()}.
     */
    public String resolvedYaml() {
        return ResolvedDocument.toYaml(resolved);
    }

    /**
     * The run's parameters by dotted path, sorted: {@code "optimizer.lr" -> "0.5"},
     * {@code "model.hidden" -> "[2]"}, {@code "training.batch_size" -> "4"}. Leaves out the
     * description, the sweep and objective sections, and optional parameters that are absent.
     */
    public Map<String, String> flattenedParameters() {
        return ResolvedDocument.flatten(resolved);
    }
}

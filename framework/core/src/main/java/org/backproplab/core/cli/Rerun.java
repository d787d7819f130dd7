package org.backproplab.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.plugin.ComponentKind;
import org.backproplab.core.run.PluginJars;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.training.UserFacingException;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;

/**
 * {@code ./lab run --from RUN_ID}: what a logged run recorded to be run again exactly: its resolved configuration
 * (the {@code config/experiment.yaml} artifact), the plugin directories of its {@code lab.command}, its plugin jars
 * and its PyTorch thread count.
 *
 * @param runId the run re-run
 * @param file where its resolved configuration was written, the file the re-run runs
 * @param pluginDirectories the {@code --plugins} directories of its {@code lab.command} that still exist
 * @param threads its {@code lab.threads}, or {@code null} if it recorded none
 */
record Rerun(String runId, Path file, List<Path> pluginDirectories, Integer threads, Map<String, String> tags) {

    static final String CONFIG_ARTIFACT = "config/experiment.yaml";
    static final String RERUN_OF_TAG = "lab.rerun_of";

    /**
     * Reads the run from MLflow and writes its resolved configuration to {@code reports/reruns/RUN_ID.yaml}.
     *
     * @throws UserFacingException (exit 2) if the run does not exist or has no resolved configuration (a sweep's parent)
     */
    static Rerun fetch(MlflowTracker tracker, String runId) {
        Run run = tracker.findRun(runId).orElseThrow(() -> new UserFacingException("--from " + runId + ": there is no"
                + " such run on " + tracker.trackingUri()));
        Map<String, String> tags = new LinkedHashMap<>();
        for (RunTag tag : run.getData().getTagsList()) {
            tags.put(tag.getKey(), tag.getValue());
        }
        if (tags.containsKey("lab.sweep.id") && !tags.containsKey("lab.trial.id")) {
            throw new UserFacingException("--from " + runId + " is a sweep's parent run, which trains nothing itself:"
                    + " re-run one of its trials with --from, or the whole sweep with its lab.command: "
                    + tags.getOrDefault("lab.command", "(not recorded)"));
        }
        if (tracker.listArtifacts(runId, "config").stream().noneMatch(path -> path.endsWith("experiment.yaml"))) {
            throw new UserFacingException("--from " + runId + ": the run has no " + CONFIG_ARTIFACT + " artifact (the"
                    + " resolved configuration every ./lab run logs), so it cannot be re-run");
        }
        byte[] config = tracker.downloadArtifact(runId, CONFIG_ARTIFACT);
        Path file = RunProvenance.projectRoot().resolve("reports").resolve("reruns").resolve(runId + ".yaml");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, config);
        } catch (IOException e) {
            throw new UserFacingException("--from " + runId + ": cannot write " + file + ": " + e.getMessage(), e);
        }
        List<Path> directories = new ArrayList<>();
        List<String> words = RunProvenance.shellWords(tags.getOrDefault("lab.command", ""));
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).equals("--plugins") && Files.isDirectory(Path.of(words.get(i + 1)))) {
                directories.add(Path.of(words.get(i + 1)));
            }
        }
        Integer threads = null;
        try {
            threads = tags.containsKey("lab.threads") ? Integer.valueOf(tags.get("lab.threads")) : null;
        } catch (NumberFormatException e) {
            // recorded by something else than ./lab: the default then
        }
        return new Rerun(runId, file, List.copyOf(directories), threads, Map.copyOf(tags));
    }

    /**
     * Refuses the re-run when a component the run used is not installed, naming the plugin jar it came from; warns
     * when an installed jar differs from the one it used.
     */
    void requirePlugins(ComponentCatalog catalog, java.util.function.Consumer<String> warnings) {
        List<String> missing = new ArrayList<>();
        Map<String, Map<String, String>> jars = new LinkedHashMap<>();
        tags.forEach((key, value) -> {
            if (key.startsWith(PluginJars.TAG_PREFIX)) {
                String rest = key.substring(PluginJars.TAG_PREFIX.length());
                int dot = rest.lastIndexOf('.');
                if (dot > 0) {
                    jars.computeIfAbsent(rest.substring(0, dot), jar -> new LinkedHashMap<>()).put(rest.substring(dot + 1), value);
                }
            }
        });
        jars.forEach((jar, fields) -> {
            for (String component : fields.getOrDefault("components", "").split(",\\s*")) {
                String[] kindAndType = component.trim().split(" ", 2);
                if (kindAndType.length != 2) {
                    continue;
                }
                ComponentKind kind = java.util.Arrays.stream(ComponentKind.values())
                        .filter(candidate -> candidate.noun().equals(kindAndType[0])).findFirst().orElse(null);
                if (kind == null || !catalog.factories(kind).containsKey(kindAndType[1])) {
                    missing.add(kindAndType[0] + " '" + kindAndType[1] + "' of plugin jar " + jar + " (version "
                            + fields.getOrDefault("version", "?") + ", sha256 " + fields.getOrDefault("sha256", "?")
                            + ", loaded from " + fields.getOrDefault("jar", "?") + ")");
                    return;
                }
                Path recorded = Path.of(fields.getOrDefault("jar", ""));
                String installed = PluginJars.jarOf(catalog.factories(kind).get(kindAndType[1]).getClass())
                        .map(PluginJars::sha256).orElse(null);
                if (installed != null && !installed.equals(fields.get("sha256"))) {
                    warnings.accept("warning: " + kindAndType[0] + " '" + kindAndType[1] + "' now comes from a jar other"
                            + " than the run's " + recorded.getFileName() + " (sha256 " + fields.get("sha256")
                            + "): the re-run may differ.");
                }
            }
        });
        if (!missing.isEmpty()) {
            throw new UserFacingException("--from " + runId + " needs plugins that are not loaded:\n  "
                    + String.join("\n  ", missing) + "\nload them with --plugins DIR (the folder that holds the jar)");
        }
    }
}

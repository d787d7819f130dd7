package org.backproplab.core.run;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.backproplab.core.config.Experiment;

/**
 * What a run records so it can be re-run and trusted (Tribuo's provenance idea): source, seed,
 * threads, versions, device and git commit, as MLflow tags.
 */
public final class RunProvenance {

    private RunProvenance() {}

    /** The tags of a run of {@code experiment} started with {@code overrides}. */
    public static Map<String, String> tags(Experiment experiment, List<String> overrides, String device, int threads) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.source.name", experiment.source().toString());
        tags.put("mlflow.source.type", "LOCAL");
        tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
        gitCommit(projectRoot()).ifPresent(commit -> {
            tags.put("mlflow.source.git.commit", commit.replace("-dirty", ""));
            tags.put("lab.git.dirty", Boolean.toString(commit.endsWith("-dirty")));
        });
        if (experiment.description() != null && !experiment.description().isBlank()) {
            tags.put("mlflow.note.content", experiment.description());
        }
        tags.put("lab.seed", Long.toString(experiment.seed()));
        tags.put("lab.threads", Integer.toString(threads));
        tags.put("lab.device", device);
        tags.put("lab.djl.version", Engine.getDjlVersion());
        tags.put("lab.pytorch.version", Engine.getEngine("PyTorch").getVersion());
        tags.put("lab.java.version", System.getProperty("java.version"));
        tags.put("lab.version", versionOf(RunProvenance.class));
        StringBuilder command = new StringBuilder("./lab run ").append(experiment.source());
        for (String override : overrides) {
            command.append(" --set '").append(override).append('\'');
        }
        tags.put("lab.command", command.toString());
        return tags;
    }

    /** The repository root: {@code lab.project.root} as the launcher sets it, else the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("lab.project.root", "")).toAbsolutePath();
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** HEAD of the git checkout at {@code root}, with "-dirty" when files differ from it. */
    static java.util.Optional<String> gitCommit(Path root) {
        try {
            String commit = git(root, "rev-parse", "HEAD");
            if (commit.isEmpty()) {
                return java.util.Optional.empty();
            }
            String changes = git(root, "status", "--porcelain", "--untracked-files=no");
            return java.util.Optional.of(changes.isEmpty() ? commit : commit + "-dirty");
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private static String git(Path root, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            return "";
        }
        return new String(output, StandardCharsets.UTF_8).trim();
    }
}

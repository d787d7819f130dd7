package org.backproplab.core.run;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.backproplab.core.config.Experiment;
import org.backproplab.core.plugin.PluginDirectories;

/**
 * What a run records so it can be re-run and trusted (Tribuo's provenance idea): source, seed,
 * threads, versions, device and git commit, as MLflow tags.
 */
public final class RunProvenance {

    private RunProvenance() {}

    /** The tags of a run of {@code experiment} started with {@code overrides}, with no plugin directories. */
    public static Map<String, String> tags(Experiment experiment, List<String> overrides, String device, int threads) {
        return tags(experiment, overrides, device, threads, PluginDirectories.NONE);
    }

    /**
     * The tags of a run of {@code experiment} started with {@code overrides} and the plugins of {@code plugins}: its
     * provenance, {@code lab.command} (the command that re-runs it) and {@code lab.plugin.*} (each plugin jar that
     * supplied one of its components: version, SHA-256, components, path).
     */
    public static Map<String, String> tags(Experiment experiment, List<String> overrides, String device, int threads,
            PluginDirectories plugins) {
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
        tags.put("lab.version", labVersion());
        tags.put("lab.command", command(experiment.source(), overrides, plugins, List.of()));
        tags.putAll(PluginJars.tags(experiment));
        return tags;
    }

    /**
     * {@code ./lab run FILE --plugins DIR... --set 'PATH=VALUE'... OPTIONS...}, quoted for a POSIX shell: every
     * option that changes what runs, so pasting it into a shell re-runs the same thing.
     */
    public static String command(Path source, List<String> overrides, PluginDirectories plugins, List<String> options) {
        StringBuilder command = new StringBuilder("./lab run ").append(shellQuoted(source.toString()));
        for (Path directory : plugins.directories()) {
            command.append(" --plugins ").append(shellQuoted(directory.toAbsolutePath().normalize().toString()));
        }
        for (String override : overrides) {
            command.append(" --set ").append(shellQuoted(override, true));
        }
        options.forEach(option -> command.append(' ').append(shellQuoted(option)));
        return command.toString();
    }

    /** The words of a command written by {@link #command}: split at spaces outside single quotes, quotes removed. */
    public static List<String> shellWords(String command) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                inWord = true;
            } else if (c == '\\' && !quoted && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** {@code text} as one shell word: as it is when it holds only safe characters, else in single quotes. */
    static String shellQuoted(String text) {
        return shellQuoted(text, false);
    }

    private static String shellQuoted(String text, boolean alwaysQuote) {
        if (!alwaysQuote && !text.isEmpty() && text.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The repository root: {@code lab.project.root} as the launcher sets it, else the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("lab.project.root", "")).toAbsolutePath();
    }

    /** Backprop Lab's version, as the build recorded it (Maven filters {@code lab-version.properties}). */
    public static String labVersion() {
        try (InputStream in = RunProvenance.class.getResourceAsStream("/org/backproplab/core/lab-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String version = properties.getProperty("version", "");
            return version.isBlank() || version.startsWith("${") ? "development" : version;
        } catch (IOException e) {
            return "development";
        }
    }

    /** Per checkout, what {@link #gitCommit} found first in this process. */
    private static final java.util.Map<Path, java.util.Optional<String>> COMMITS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * HEAD of the git checkout at {@code root}, with "-dirty" when files differ from it, as this process first found
     * it: the code it runs is the code it loaded at its start, whatever the checkout does later, and a sweep's
     * trials no longer start two git processes each (about 3 % of a small sweep in process).
     */
    public static java.util.Optional<String> gitCommit(Path root) {
        Path checkout = root.toAbsolutePath().normalize();
        java.util.Optional<String> known = COMMITS.get(checkout);
        if (known != null) {
            return known;
        }
        java.util.Optional<String> commit = readGitCommit(checkout);
        if (!Thread.currentThread().isInterrupted()) { // an interrupted read found nothing: not the answer to keep
            COMMITS.putIfAbsent(checkout, commit);
        }
        return commit;
    }

    private static java.util.Optional<String> readGitCommit(Path root) {
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

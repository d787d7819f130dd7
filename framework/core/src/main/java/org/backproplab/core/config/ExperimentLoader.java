package org.backproplab.core.config;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.backproplab.core.plugin.ComponentCatalog;

/**
 * Loads experiment files: reads the YAML safely, applies {@code --set} overrides, binds every block
 * to its component's parameter record and checks every constraint. Whatever is wrong is reported
 * all at once in a {@link ConfigException}, each problem with its file, line, column and path.
 */
public final class ExperimentLoader {

    /** Experiment files are small; anything bigger is a mistake or an attack. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private final ComponentCatalog catalog;

    @Inject
    public ExperimentLoader(ComponentCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Loads an experiment file.
     *
     * @param file the file; messages name it as given, so pass it as the user typed it
     * @param overrides {@code path=value} overrides, e.g. {@code optimizer.lr=0.1}
     * @throws ConfigException listing every problem with the file and the overrides
     */
    public Experiment load(Path file, List<String> overrides) throws ConfigException {
        String fileName = file.toString();
        return load(fileName, readText(file, fileName), overrides, file);
    }

    /**
     * Loads an experiment from text, e.g. the resolved YAML of an earlier run.
     *
     * @param fileName the name to use in messages and as {@link Experiment#source()}
     * @param yamlText the experiment file's content
     * @param overrides {@code path=value} overrides, e.g. {@code optimizer.lr=0.1}
     * @throws ConfigException listing every problem with the text and the overrides
     */
    public Experiment load(String fileName, String yamlText, List<String> overrides) throws ConfigException {
        return load(fileName, yamlText, overrides, pathOf(fileName));
    }

    private Experiment load(String fileName, String yamlText, List<String> overrides, Path source)
            throws ConfigException {
        ProblemCollector problems = new ProblemCollector();
        List<String> files = new ArrayList<>();
        files.add(fileName);
        overrides.forEach(override -> files.add(ConfigOverrides.fileOf(override)));
        ConfigNode document = YamlTreeReader.read(YamlTreeReader.Origin.file(fileName), yamlText, problems);
        if (document == null) {
            throw problems.toException(files);
        }
        if (document instanceof ConfigMap root) {
            ConfigOverrides.apply(root, overrides, problems);
        }
        Experiment experiment = new ExperimentBinder(catalog, problems).bind(document, source);
        if (!problems.isEmpty()) {
            throw problems.toException(files);
        }
        return experiment;
    }

    /**
     * Reads the {@code sweep:} and {@code objective:} sections of an experiment file, after the overrides.
     *
     * @return the checked sweep; empty when the file has no sweep, and also when the file or an override cannot
     *     be read (a {@link #load} then reports that with everything else)
     * @throws ConfigException listing every problem of the sweep and objective sections, and the problems of the
     *     rest of the file that no swept value can change
     */
    public Optional<SweepDefinition> loadSweep(Path file, List<String> overrides) throws ConfigException {
        String fileName = file.toString();
        return loadSweep(fileName, readText(file, fileName), overrides, file);
    }

    /** {@link #loadSweep(Path, List)} of a text, e.g. in tests. */
    public Optional<SweepDefinition> loadSweep(String fileName, String yamlText, List<String> overrides)
            throws ConfigException {
        return loadSweep(fileName, yamlText, overrides, pathOf(fileName));
    }

    private Optional<SweepDefinition> loadSweep(String fileName, String yamlText, List<String> overrides, Path source)
            throws ConfigException {
        ProblemCollector reading = new ProblemCollector();
        ConfigNode document = YamlTreeReader.read(YamlTreeReader.Origin.file(fileName), yamlText, reading);
        if (!(document instanceof ConfigMap root)) {
            return Optional.empty();
        }
        ConfigOverrides.apply(root, overrides, reading);
        ConfigNode sweep = root.get("sweep");
        if (!reading.isEmpty() || sweep == null || sweep instanceof ConfigScalar scalar && scalar.isNull()) {
            return Optional.empty();
        }
        ProblemCollector problems = new ProblemCollector();
        SweepDefinition definition = SweepDefinitionReader.read(root, problems);
        if (definition != null) {
            return Optional.of(definition);
        }
        // Trials cannot be expanded from a broken sweep, but the rest of the file can be checked now, all but the
        // swept paths, whose values the trials would replace.
        List<String> swept = SweepDefinitionReader.sweptPaths(root);
        ConfigScalar absent = new ConfigScalar(root.position(), ConfigScalar.Kind.NULL, "", null);
        root.put("sweep", root.position(), absent);
        root.put("objective", root.position(), absent);
        ProblemCollector base = new ProblemCollector();
        new ExperimentBinder(catalog, base).bind(root, source);
        for (ConfigProblem problem : base.inReadingOrder(List.of())) {
            if (swept.stream().noneMatch(path -> isWithin(problem.path(), path))) {
                problems.add(problem.position(), problem.path(), problem.message());
            }
        }
        throw problems.toException(filesOf(fileName, overrides));
    }

    /**
     * Whether a problem at {@code path} could be about the swept {@code sweptPath}: the same value, a value below
     * it ({@code model.hidden[0]} for {@code model.hidden}), or the block holding it (a rule over {@code model}).
     */
    private static boolean isWithin(String path, String sweptPath) {
        return path.equals(sweptPath) || path.startsWith(sweptPath + ".") || path.startsWith(sweptPath + "[")
                || sweptPath.startsWith(path + ".");
    }

    private static List<String> filesOf(String fileName, List<String> overrides) {
        List<String> files = new ArrayList<>();
        files.add(fileName);
        overrides.forEach(override -> files.add(ConfigOverrides.fileOf(override)));
        return files;
    }

    private static String kindOf(Path file) {
        try {
            Object type = Files.readAttributes(file, "unix:mode").get("mode");
            int format = (Integer) type & 0170000;
            return switch (format) {
                case 0010000 -> "a named pipe";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    private static String readText(Path file, String fileName) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw single(fileName, "cannot read " + fileName + ": it is a directory");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A named pipe would block the read for ever, a device could be endless: refuse without opening it.
            throw single(fileName, "cannot read " + fileName + ": it is not a regular file (" + kindOf(file)
                    + "); experiment files are YAML files");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the limit rather than trusting the size, which can change meanwhile.
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw single(fileName, "cannot read " + fileName + ": no such file");
        } catch (AccessDeniedException e) {
            throw single(fileName, "cannot read " + fileName + ": permission denied");
        } catch (FileSystemException e) {
            throw single(fileName, "cannot read " + fileName + ": " + reasonOr(e.getReason()));
        } catch (IOException e) {
            throw single(fileName, "cannot read " + fileName + ": " + reasonOr(e.getMessage()));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw single(fileName, fileName + " is larger than 1 MiB; experiment files are limited to 1 MiB");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw single(fileName, "cannot read " + fileName + ": it is not UTF-8 text");
        }
    }

    private static String reasonOr(String reason) {
        return reason == null ? "I/O error" : reason;
    }

    private static ConfigException single(String fileName, String message) {
        return new ConfigException(fileName, List.of(new ConfigProblem(null, "", message)));
    }

    private static Path pathOf(String fileName) {
        try {
            return Path.of(fileName);
        } catch (InvalidPathException e) {
            return null; // only a name for messages, then
        }
    }
}

package org.backproplab.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.backproplab.core.config.BoundComponent;
import org.backproplab.core.config.Experiment;

/**
 * Which plugin jar supplied each component of a run, as {@code lab.plugin.<jar>.*} tags: the jar's version (its
 * manifest's {@code Implementation-Version}), SHA-256, the components it supplied and its path, so a run says exactly
 * what code trained it and {@code ./lab run --from} can tell which plugin is missing.
 */
public final class PluginJars {

    public static final String TAG_PREFIX = "lab.plugin.";

    private PluginJars() {}

    /** One jar that supplied components of a run. */
    public record Jar(String key, Path path, String version, String sha256, List<String> components) {}

    /** The {@code lab.plugin.*} tags of a run of {@code experiment}. */
    public static Map<String, String> tags(Experiment experiment) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Jar jar : jars(experiment)) {
            String prefix = TAG_PREFIX + jar.key() + ".";
            tags.put(prefix + "version", jar.version());
            tags.put(prefix + "sha256", jar.sha256());
            tags.put(prefix + "components", String.join(", ", jar.components()));
            tags.put(prefix + "jar", jar.path().toString());
        }
        return tags;
    }

    /** The jars that supplied the experiment's components, in the order of its blocks. */
    public static List<Jar> jars(Experiment experiment) {
        Map<Path, List<String>> components = new LinkedHashMap<>();
        List<BoundComponent> used = new ArrayList<>(List.of(experiment.dataset(), experiment.model(), experiment.loss(),
                experiment.optimizer()));
        if (experiment.schedule() != null) {
            used.add(experiment.schedule().component());
        }
        used.addAll(experiment.metrics() == null ? List.of() : experiment.metrics());
        used.addAll(experiment.callbacks() == null ? List.of() : experiment.callbacks());
        for (BoundComponent component : used) {
            jarOf(component.factory().getClass()).ifPresent(jar -> components.computeIfAbsent(jar, key -> new ArrayList<>()).add(component.kind().noun() + " " + component.type()));
        }
        return components.entrySet().stream()
                .map(entry -> new Jar(key(entry.getKey()), entry.getKey(), version(entry.getKey()), sha256(entry.getKey()),
                        List.copyOf(entry.getValue())))
                .toList();
    }

    /** The jar a class was loaded from; empty for a class folder (a development build). */
    public static Optional<Path> jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The jar's file name without {@code .jar}, in the characters an MLflow tag key allows. */
    static String key(Path jar) {
        return jar.getFileName().toString().replaceFirst("\\.jar$", "").replaceAll("[^\\w.\\-]", "_");
    }

    private static String version(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String version = manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
            return version == null || version.isBlank() ? "unknown (no Implementation-Version in its manifest)" : version;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The jar's SHA-256 in hex. */
    public static String sha256(Path jar) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(jar), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }
}

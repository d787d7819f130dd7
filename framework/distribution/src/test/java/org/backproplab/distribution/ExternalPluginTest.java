package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.backproplab.core.cli.LabCommand;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.spi.Plugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

/**
 * The example plugin as a user installs it: its jar in a plugin directory (target/test-plugins, where
 * the build copies it), never on the class path. Runs against the real engine and MLflow server.
 */
class ExternalPluginTest {

    private static final String EXAMPLE_PLUGIN_CLASS = "org.backproplab.plugins.example.ExamplePlugin";

    private static Path pluginDirectory;
    private static Path pluginJar;

    @TempDir
    Path folder;

    @BeforeAll
    static void findTheExamplePlugin() throws IOException {
        pluginDirectory = Path.of(System.getProperty("lab.test.plugins", "target/test-plugins")).toAbsolutePath();
        try (Stream<Path> jars = Files.list(pluginDirectory)) {
            pluginJar = jars.filter(path -> path.getFileName().toString().startsWith("backprop-lab-plugin-example"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("the build copies the example plugin to "
                            + pluginDirectory));
        }
    }

    private static Path experiment() {
        return LabProcess.projectRoot().resolve("plugins/example/two-moons.yaml");
    }

    @Test
    void theExamplePluginIsNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName(EXAMPLE_PLUGIN_CLASS)).isInstanceOf(ClassNotFoundException.class);
        LabProcess.Result listed = LabProcess.lab("plugins");
        assertThat(listed.exitCode()).as(listed.all()).isZero();
        assertThat(listed.out()).contains("dataset xor").doesNotContain("two-moons");
    }

    @Test
    void anExperimentRunsWithTheComponentsOfAPluginDirectory() {
        LabProcess.Result result = LabProcess.lab("run", experiment().toString(), "--plugins", pluginDirectory.toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=test-two-moons");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("FINISHED").contains("Learned: every test example is classified correctly.");
        MlflowTracker tracker = SharedMlflowServer.tracker();
        List<Service.Run> runs = tracker.searchRuns(tracker.experimentId("test-two-moons"), "");
        assertThat(runs).hasSize(1);
        Map<String, String> params = runs.get(0).getData().getParamsList().stream()
                .collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue));
        assertThat(params).containsEntry("dataset.type", "two-moons").containsEntry("dataset.noise", "0.1")
                .containsEntry("model.type", "swish-mlp").containsEntry("model.beta", "1.0")
                .containsEntry("loss.type", "huber").containsEntry("loss.delta", "1.0");
        List<Service.Metric> accuracy = tracker.metricHistory(runs.get(0).getInfo().getRunId(), "eval/accuracy");
        assertThat(accuracy.get(accuracy.size() - 1).getValue()).isEqualTo(1.0);
        assertThat(tracker.metricHistory(runs.get(0).getInfo().getRunId(), "grad_norm/layer_03")).isNotEmpty();
    }

    @Test
    void aPluginsCallbackAndMetricTakePartInTrainingAndReachMlflow() {
        LabProcess.Result result = LabProcess.lab("run", experiment().toString(), "--plugins", pluginDirectory.toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=test-two-moons-callback",
                "--set", "metrics=[accuracy, brier]", "--set", "callbacks=[{type: stop-at-loss, below: 0.05}]",
                "--set", "training.log_every=10");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("FINISHED: stopped early at step").contains("train/loss").contains("fell below 0.05");
        MlflowTracker tracker = SharedMlflowServer.tracker();
        List<Service.Run> runs = tracker.searchRuns(tracker.experimentId("test-two-moons-callback"), "");
        assertThat(runs).hasSize(1);
        String runId = runs.get(0).getInfo().getRunId();
        List<Service.Metric> brier = tracker.metricHistory(runId, "eval/brier");
        assertThat(brier).as("the plugin's metric at every evaluation").hasSizeGreaterThan(1);
        assertThat(brier.get(brier.size() - 1).getValue()).isBetween(0.0, 0.25).isLessThan(brier.get(0).getValue());
        List<Service.Metric> stopped = tracker.metricHistory(runId, "example/steps_to_target");
        assertThat(stopped).as("the plugin's callback recorded when it stopped training").hasSize(1);
        List<Service.Metric> loss = tracker.metricHistory(runId, "train/loss");
        assertThat(stopped.get(0).getStep()).isEqualTo(loss.get(loss.size() - 1).getStep());
        assertThat(loss.get(loss.size() - 1).getValue()).isLessThan(0.05);
        assertThat(stopped.get(0).getStep()).as("stopped before the planned 60 epochs").isLessThan(60L * 13);
    }

    @Test
    void validateAndPluginsSeeThePluginDirectoryToo() {
        LabProcess.Result validated = LabProcess.lab("validate", experiment().toString(), "--plugins", pluginDirectory.toString());
        assertThat(validated.exitCode()).as(validated.all()).isZero();
        assertThat(validated.out()).contains("two-moons.yaml: OK");

        LabProcess.Result shown = LabProcess.lab("plugins", "huber", "--plugins", pluginDirectory.toString());
        assertThat(shown.exitCode()).as(shown.all()).isZero();
        assertThat(shown.out()).startsWith("loss huber  (from " + pluginJar + ")")
                .containsPattern("delta +number +1\\.0 +> 0 +the error at which the loss turns from quadratic to linear");
    }

    @Test
    void withoutThePluginDirectoryTheExperimentFailsNamingTheComponentAndHintingAtPlugins() {
        LabProcess.Result result = LabProcess.lab("run", experiment().toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--set", "tracking.experiment=test-two-moons-without-plugin");

        assertRejected(result);
        assertThat(result.err()).contains("two-moons.yaml:").contains("dataset.type: unknown dataset 'two-moons'")
                .contains("model.type: unknown model 'swish-mlp'").contains("loss.type: unknown loss 'huber'")
                .contains("load it with --plugins DIR or LAB_PLUGIN_PATH");
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            assertThat(tracker.findExperiment("test-two-moons-without-plugin")).isEmpty();
        }
    }

    @Test
    void aMissingPluginDirectoryIsBadInput() {
        Path missing = folder.resolve("no-such-plugins");
        LabProcess.Result result = LabProcess.lab("run", experiment().toString(), "--plugins", missing.toString(),
                "--tracking-uri", SharedMlflowServer.uri());

        assertRejected(result);
        assertThat(result.err()).isEqualTo("error: plugin directory " + missing + " does not exist\n");
    }

    @Test
    void aPluginBuiltAgainstAnotherSpiIsRefusedNamingBothVersions() throws IOException {
        Path jar = copyWithManifest(pluginJar, folder.resolve("future/two-moons.jar"), "9.0.0");

        LabProcess.Result result = LabProcess.lab("plugins", "--plugins", jar.getParent().toString());

        assertRejected(result);
        assertThat(result.err()).isEqualTo("error: " + jar + " was compiled against plugin SPI 9.0 (Backprop-Lab-SPI-Version: "
                + "9.0.0), but this Backprop Lab provides SPI " + Plugin.SPI_VERSION + "; rebuild the plugin against "
                + "org.backproplab:backprop-lab-spi " + Plugin.SPI_VERSION + ".x\n");
    }

    @Test
    void twoJarsWithTheSameComponentsNameBoth() throws IOException {
        Path plugins = Files.createDirectories(folder.resolve("twice"));
        Path first = Files.copy(pluginJar, plugins.resolve("moons-1.jar"));
        Path second = Files.copy(pluginJar, plugins.resolve("moons-2.jar"));

        LabProcess.Result result = LabProcess.lab("validate", experiment().toString(), "--plugins", plugins.toString());

        assertRejected(result);
        assertThat(result.err()).contains("duplicate component names: dataset 'two-moons' is contributed by both "
                + EXAMPLE_PLUGIN_CLASS + " (" + first + ") and " + EXAMPLE_PLUGIN_CLASS + " (" + second + ")")
                .contains("model 'swish-mlp'").contains("loss 'huber'");
    }

    @Test
    void aJarWithoutAPluginIsNamed() throws IOException {
        Path plugins = Files.createDirectories(folder.resolve("library"));
        Path library = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = Files.copy(library, plugins.resolve(library.getFileName()));

        LabProcess.Result result = LabProcess.lab("plugins", "--plugins", plugins.toString());

        assertRejected(result);
        assertThat(result.err()).contains(jar + " holds no plugin: it has no META-INF/services/org.backproplab.spi.Plugin")
                .contains("a plugin's dependency jars go in a subdirectory together with the plugin jar");
    }

    @Test
    void labPluginPathNamesPluginDirectoriesFromTheEnvironment() throws IOException, InterruptedException {
        // A separate process: the environment cannot be changed in this one.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(javaExecutable.toString(), "-cp", classPath, LabCommand.class.getName(),
                "plugins", "two-moons").redirectErrorStream(true);
        builder.environment().put("LAB_PLUGIN_PATH", folder.resolve("empty-entry") + java.io.File.pathSeparator
                + pluginDirectory);
        Files.createDirectories(folder.resolve("empty-entry/tools")); // a directory without a plugin jar is refused

        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("plugin directory " + folder.resolve("empty-entry") + " holds no plugin");

        builder.environment().put("LAB_PLUGIN_PATH", pluginDirectory.toString());
        process = builder.start();
        process.getOutputStream().close();
        output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("dataset two-moons  (from " + pluginJar + ")");
    }

    private static void assertRejected(LabProcess.Result result) {
        assertThat(result.exitCode()).as(result.all()).isEqualTo(LabCommand.EXIT_BAD_INPUT);
        assertThat(result.all()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** The jar with its manifest's SPI version replaced, as if built against another SPI. */
    private static Path copyWithManifest(Path source, Path target, String spiVersion) throws IOException {
        Files.createDirectories(target.getParent());
        try (JarFile jar = new JarFile(source.toFile())) {
            Manifest manifest = new Manifest(jar.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name(Plugin.SPI_VERSION_ATTRIBUTE), spiVersion);
            try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
                List<JarEntry> entries = new ArrayList<>();
                for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
                    entries.add(all.nextElement());
                }
                for (JarEntry entry : entries) {
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return target;
    }
}

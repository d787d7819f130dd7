package org.backproplab.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.run.RunProvenance;
import org.backproplab.core.sweep.ChildJvm;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab bench step [FILE]}: the time of each phase of a training step, the seconds per epoch, resident
 * memory and allocations per step, against the floor this machine measures for the same model, for each thread
 * count (each in a JVM of its own: PyTorch fixes its threads once per process) with diagnostics off and on.
 * Nothing is logged to MLflow.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = "Time each phase of a training step against this machine's floor (the model's matrix products"
                + " alone plus one optimizer update), per thread count, diagnostics off and on. Logs nothing.")
final class BenchStepCommand implements Callable<Integer> {

    static final String RESULT_MARKER = "@@lab-bench-result ";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "the experiment (default: experiments/fashion-mnist-mlp.yaml, the seed-004 network)")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE", description = "override a value of the file (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "400", description = "steps measured, after the warm-up (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "100", description = "steps run before measuring (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", paramLabel = "N[,N...]",
            description = "PyTorch thread counts, each in its own JVM (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "also measure the build whose jars are in DIR (e.g. another checkout's"
                    + " framework/distribution/target/lib), alternating with this one, and print both")
    Path baseline;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "also train one more run per thread count (diagnostics off, not measured) under PyTorch's"
                    + " profiler: write its trace to DIR (Chrome trace JSON: chrome://tracing or ui.perfetto.dev) and"
                    + " print the operators that took longest per step")
    Path profile;

    @Mixin
    PluginOptions plugins;

    // A child JVM: measure with this JVM's thread count and print one result line.
    @Option(names = "--child", hidden = true)
    boolean child;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException {
        if (steps < 1 || warmup < 0 || threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            throw new UserFacingException("--steps must be at least 1, --warmup at least 0 and every --threads at least 1");
        }
        if (file == null) {
            file = RunProvenance.projectRoot().resolve("experiments").resolve("fashion-mnist-mlp.yaml");
        }
        if (child) {
            int count = EngineThreads.configure(threads.get(0));
            StepBenchmark.Result result = StepBenchmark.measure(plugins.createInjector(), file, overrides, count, warmup, steps,
                    profile);
            System.out.println(RESULT_MARKER + JSON.writeValueAsString(result));
            return 0;
        }
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException("no such experiment file: " + file);
        }
        if (baseline != null && !Files.isDirectory(baseline)) {
            throw new UserFacingException("--baseline " + baseline + " is not a folder of jars");
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Benchmarking %s: %d warm-up + %d measured steps per run; load average %s%n", file, warmup,
                steps, loadAverage());
        List<Row> rows = new ArrayList<>();
        for (int count : threads) {
            if (baseline != null) {
                rows.add(new Row("baseline", runChild(baseline.toAbsolutePath() + "/*", count, false)));
            }
            rows.add(new Row(baseline != null ? "this build" : "", runChild(System.getProperty("java.class.path"), count,
                    profile != null)));
        }
        print(rows, out);
        out.printf(Locale.ROOT, "Load average after: %s%n", loadAverage());
        return 0;
    }

    private record Row(String build, StepBenchmark.Result result) {}

    /** @param profiled whether the child also profiles a run (the baseline's build may not know the option) */
    private StepBenchmark.Result runChild(String classPath, int count, boolean profiled)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-cp", classPath));
        command.addAll(ChildJvm.inheritedOptions());
        command.add("-Dlab.default.threads=" + count);
        command.addAll(List.of(LabCommand.class.getName(), "bench", "step", file.toAbsolutePath().toString(), "--child",
                "--threads", Integer.toString(count), "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup)));
        for (String override : overrides) {
            command.addAll(List.of("--set", override));
        }
        if (profiled) {
            command.addAll(List.of("--profile", profile.toAbsolutePath().toString()));
        }
        plugins.directories.forEach(directory -> command.addAll(List.of("--plugins", directory.toAbsolutePath().toString())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(count));
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        System.err.printf(Locale.ROOT, "  measuring %d thread(s)%s...%n", count, classPath.endsWith("/*") ? " (baseline)" : "");
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        String result = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith(RESULT_MARKER)) {
                    result = line.substring(RESULT_MARKER.length());
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            System.err.print(output);
            throw new UserFacingException("the benchmark's JVM for " + count + " thread(s) failed (exit " + exit + ")");
        }
        return JSON.readValue(result, StepBenchmark.Result.class);
    }

    /** One Markdown table: a row per build, thread count and diagnostics setting; phases in ms per step. */
    private static void print(List<Row> rows, PrintStream out) {
        boolean builds = rows.stream().anyMatch(row -> !row.build().isEmpty());
        StringBuilder header = new StringBuilder(builds ? "| build " : "");
        header.append("| threads | diagnostics | prefetch | batch | forward | loss | backward | diag. | optimizer | eval | bookkeeping"
                + " | step ms | s/epoch | floor s/epoch | × floor | alloc/step | RSS MB | eval floor | eval × floor"
                + " | × floor with eval |");
        out.println();
        out.println(header);
        out.println(header.toString().replaceAll("[^|]+", "---"));
        for (Row row : rows) {
            StepBenchmark.Result result = row.result();
            // The floor is the machine's, not the build's: this build's measurement for the thread count.
            double floorMillis = rows.stream().filter(other -> other.result().threads() == result.threads()
                    && !other.build().equals("baseline")).findFirst().orElse(row).result().floorMillis();
            for (StepBenchmark.RunMeasurement run : result.runs()) {
                StringBuilder line = new StringBuilder(builds ? "| " + row.build() + " " : "");
                line.append(String.format(Locale.ROOT, "| %d | %s | %s |", result.threads(), run.diagnostics() ? "on" : "off",
                        run.prefetch() ? "on" : "off"));
                // A phase that never ended did not run: the scripted step's loss and backward are in its forward.
                run.phaseMillis().values().forEach(ms -> line.append(ms == 0 ? " — |"
                        : String.format(Locale.ROOT, " %.3f |", ms)));
                double floorEpoch = floorMillis * run.stepsPerEpoch() / 1000;
                line.append(String.format(Locale.ROOT, " %.3f | %.2f | %.2f | %.2f | %s | %.0f |", run.stepMillis(),
                        run.secondsPerEpoch(), floorEpoch, run.secondsPerEpoch() / floorEpoch,
                        bytes(run.allocatedBytesPerStep()), run.residentMegabytes()));
                // The evaluation's own floor, spread over the steps as its phase is: its forward products.
                double evaluationFloor = result.evaluationFloorMillis() * run.evaluationsPerStep();
                if (evaluationFloor > 0) {
                    line.append(String.format(Locale.ROOT, " %.3f | %.2f | %.2f |", evaluationFloor,
                            run.phaseMillis().getOrDefault("evaluation", 0.0) / evaluationFloor,
                            run.stepMillis() / (floorMillis + evaluationFloor)));
                } else {
                    line.append(" - | - | - |"); // no test split, or no evaluation among the measured steps
                }
                out.println(line);
            }
        }
        out.println();
        for (Row row : rows) {
            StepBenchmark.Result result = row.result();
            if (row.build().equals("baseline")) {
                continue;
            }
            out.printf(Locale.ROOT, "Floor, %d thread(s): products %s %.3f ms + optimizer update %.3f ms = %.3f ms per step%n",
                    result.threads(), String.join(" ", result.products()),
                    result.matmulMillis(), result.optimizerMillis(), result.floorMillis());
        }
        for (Row row : rows) {
            StepBenchmark.Result result = row.result();
            if (!row.build().equals("baseline") && !result.evaluationProducts().isEmpty()) {
                out.printf(Locale.ROOT, "Evaluation floor, %d thread(s): forward products %s = %.2f ms per evaluation%n",
                        result.threads(), String.join(" ", result.evaluationProducts()), result.evaluationFloorMillis());
            }
        }
        out.println("Phases in ms per step (mean over the measured steps; eval is the test split's evaluation on logged"
                + " steps); the floor is the mean of " + StepBenchmark.FLOOR_REPETITIONS + " timings; the eval floor is"
                + " an evaluation's forward products spread over the steps as the eval phase is, and the last column"
                + " compares the step with both floors.");
        for (Row row : rows) {
            StepBenchmark.Profile profile = row.result().profile();
            if (profile == null) {
                continue;
            }
            out.printf(Locale.ROOT, "%nPyTorch profiler, %d thread(s), diagnostics off, one more run (the profiler's"
                    + " recording included): the outermost operators with the most time per step; trace %s%n",
                    row.result().threads(), profile.trace());
            out.println("| operator | calls/step | µs/step |");
            out.println("|---|---|---|");
            for (OperatorProfile.Operator operator : profile.operators()) {
                out.printf(Locale.ROOT, "| %s | %.2f | %.1f |%n", operator.name(), operator.callsPerStep(),
                        operator.microsPerStep());
            }
        }
        if (rows.stream().flatMap(row -> row.result().runs().stream())
                .anyMatch(run -> run.phaseMillis().getOrDefault("loss", 1.0) == 0)) {
            out.println("—: a phase that did not run. Where the model and the loss are written as TorchScript, forward is"
                    + " forward, loss and backward in one call (LAB_SCRIPTED_STEP=off runs them eagerly).");
        }
    }

    private static String bytes(double bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20))
                : String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim() + " on " + Runtime.getRuntime().availableProcessors()
                    + " cores";
        } catch (IOException e) {
            return "unknown";
        }
    }
}

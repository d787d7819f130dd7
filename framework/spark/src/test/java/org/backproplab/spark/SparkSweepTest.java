package org.backproplab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.backproplab.core.cli.LabCommand;
import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

/**
 * Sweeps on a real Spark standalone cluster on loopback (a master and two one-core workers from the pinned
 * Spark distribution): each trial a Spark task in an executor JVM, logging to MLflow itself, with results equal
 * bit for bit to the same sweep in process; a pruner in the driver stops trials in executors; a killed executor
 * fails only its trial; the MLflow address and credentials show neither on a command line nor in Spark's event
 * log (what its UI shows) nor executor logs.
 */
// Each test in a thread of its own, with a deadline: Spark waits without end for executors that never come, and a
// test must fail with a message instead (the waits inside a test have their own, shorter deadlines).
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SparkSweepTest {

    private static final String SWEEP = """
            name: EXPERIMENT
            seed: 11
            dataset:   { type: xor }
            model:     { type: mlp, hidden: [4], activation: tanh }
            loss:      { type: mse }
            optimizer: { type: sgd, lr: 0.5 }
            training:  { epochs: 60, batch_size: 4, log_every: 20 }
            tracking:  { experiment: EXPERIMENT }
            objective: { metric: train/loss, mode: min }
            sweep:
              parameters:
                SWEPT
            """;
    /** Metrics that measure time or memory, which no two runs share. */
    private static final Pattern NOT_DETERMINISTIC = Pattern.compile("(?i).*(time|second|memory|rss|throughput).*");

    private static StandaloneCluster cluster;

    @TempDir
    Path folder;

    /** Where the sweeps' summaries and reports go, instead of the project's reports/. */
    @TempDir
    static Path reports;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.shared();
        System.out.printf("Spark standalone cluster (master and %d workers) ready in %.1f s%n",
                StandaloneCluster.WORKERS, cluster.startSeconds);
    }

    private Path sweep(String experiment, String swept) throws IOException {
        return Files.writeString(folder.resolve(experiment + ".yaml"), SWEEP.replace("EXPERIMENT", experiment)
                .replace("SWEPT", swept) + cluster.executorSection());
    }

    @Test
    void aSweepOnSparkGivesBitIdenticalMetricsToTheSameSweepInProcess() throws IOException {
        Path file = sweep("spark-identical", "optimizer.lr: [0.1, 0.2, 0.3, 0.5]");
        long start = System.nanoTime();
        Result local = lab("run", file.toString(), "--tracking-uri", TestMlflow.uri(), "--executor", "local");
        double localSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(local.exitCode()).as(local.all()).isZero();
        Map<Integer, Service.Run> localTrials = TestMlflow.trials("spark-identical");
        Map<Integer, Map<String, List<Double>>> inProcess = histories(localTrials);

        start = System.nanoTime();
        Result spark = lab("run", file.toString(), "--tracking-uri", TestMlflow.uri());
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(spark.exitCode()).as(spark.all()).isZero();
        assertThat(spark.out()).contains("on Spark " + cluster.masterUrl);
        Map<Integer, Service.Run> trials = TestMlflow.trials("spark-identical");
        Map<Integer, Map<String, List<Double>>> onSpark = histories(trials);

        assertThat(onSpark.keySet()).containsExactly(1, 2, 3, 4);
        assertThat(onSpark.get(1)).as("metrics compared").containsKeys("train/loss", "eval/loss", "grad_norm/layer_01");
        assertThat(onSpark).as("every metric of every trial, step by step").isEqualTo(inProcess);
        // Trained in executor JVMs, not in this one, and never two trials at once in one executor.
        Map<String, List<Service.Run>> byExecutor = new TreeMap<>();
        trials.values().forEach(run -> byExecutor.computeIfAbsent(executorOf(run), key -> new ArrayList<>()).add(run));
        assertThat(byExecutor.keySet()).allSatisfy(host -> assertThat(host).matches("spark executor \\d+, pid \\d+")
                .doesNotContain("pid " + ProcessHandle.current().pid() + ","));
        byExecutor.values().forEach(SparkSweepTest::assertOneAtATime);
        Matcher started = Pattern.compile("started in ([0-9.]+) s").matcher(spark.out());
        double applicationStart = started.find() ? Double.parseDouble(started.group(1)) : Double.NaN;
        double localTrial = meanSeconds(localTrials);
        double sparkTrial = meanSeconds(trials);
        System.out.printf(java.util.Locale.ROOT, "4 xor trials, metrics bit-identical: sweep %.1f s in process, %.1f s on"
                + " Spark (application start %.1f s, then %.1f s for the trials on %d executor(s)); a trial's run %.2f s"
                + " in process, %.2f s in an executor (%.2fx, the first on each executor loading PyTorch)%n",
                localSeconds, sparkSeconds, applicationStart, sparkSeconds - applicationStart, byExecutor.size(),
                localTrial, sparkTrial, sparkTrial / localTrial);
    }

    @Test
    void aTpeSweepOnSparkProposesATrialOnlyWhenAnExecutorIsFree() throws IOException {
        Path file = Files.writeString(folder.resolve("spark-tpe.yaml"), SWEEP.replace("EXPERIMENT", "spark-tpe")
                .replace("sweep:\n", "sweep:\n  method: tpe\n  trials: 4\n  startup_trials: 2\n")
                .replace("SWEPT", "optimizer.lr: { distribution: log_uniform, min: 0.05, max: 0.5 }")
                + cluster.executorSection());
        Result spark = lab("run", file.toString(), "--tracking-uri", TestMlflow.uri());
        assertThat(spark.exitCode()).as(spark.all()).isZero();
        assertThat(spark.out()).contains("4 trials (tpe)", "on Spark " + cluster.masterUrl);

        Map<Integer, Service.Run> trials = TestMlflow.trials("spark-tpe");
        assertThat(trials.keySet()).containsExactly(1, 2, 3, 4);
        assertThat(trials.values()).allSatisfy(run -> {
            assertThat(run.getInfo().getStatus()).as(TestMlflow.tag(run, "lab.error")).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(executorOf(run)).startsWith("spark executor");
        });
        assertThat(trials.values().stream().map(run -> TestMlflow.tag(run, "lab.trial.id")).distinct())
                .as("four different configurations").hasSize(4);
        // Each trial is a Spark job; queued all at once, four would be in flight while the first two train.
        int inFlight = 0;
        int most = 0;
        int jobs = 0;
        for (JsonNode event : cluster.events(appId(spark.out()))) {
            switch (event.path("Event").asText()) {
                case "SparkListenerJobStart" -> {
                    jobs++;
                    most = Math.max(most, ++inFlight);
                }
                case "SparkListenerJobEnd" -> inFlight--;
                default -> { }
            }
        }
        assertThat(jobs).as("jobs, one per trial").isEqualTo(4);
        assertThat(most).as("trials in flight at once, at most one per executor").isBetween(1, StandaloneCluster.WORKERS);
    }

    @Test
    void aPrunedSweepOnSparkStopsTheTrialsItsPrunerStops() throws IOException {
        // A TPE sweep starts a trial only when an executor is free, so trials 3 and 4 start after trial 1 or 2 has
        // completed. Its seed draws learning rates 0.78 and 0.37 for trials 1 and 2, 1.9e-4 and 7.8e-4 for 3 and 4:
        // those two stay worse than a completed trial, so the median pruner in the driver stops them.
        Path file = Files.writeString(folder.resolve("spark-pruned.yaml"), SWEEP.replace("EXPERIMENT", "spark-pruned")
                .replace("epochs: 60", "epochs: 200")
                .replace("sweep:\n", "sweep:\n  method: tpe\n  trials: 4\n  startup_trials: 4\n  seed: 2611\n"
                        + "  pruner: { type: median, n_startup_trials: 1 }\n")
                .replace("SWEPT", "optimizer.lr: { distribution: log_uniform, min: 1.0e-4, max: 1.0 }")
                + cluster.executorSection());
        Result spark = lab("run", file.toString(), "--tracking-uri", TestMlflow.uri());
        assertThat(spark.exitCode()).as(spark.all()).isZero();
        assertThat(spark.out()).contains("pruner median(", "on Spark " + cluster.masterUrl, "PRUNED",
                "trial 3/4 started: lr=0.0001856", "trial 4/4 started: lr=0.0007784");

        Map<Integer, Service.Run> trials = TestMlflow.trials("spark-pruned");
        assertThat(trials.keySet()).containsExactly(1, 2, 3, 4);
        assertThat(trials.values()).allSatisfy(run -> {
            assertThat(run.getInfo().getStatus()).as(TestMlflow.tag(run, "lab.error")).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(executorOf(run)).startsWith("spark executor");
        });
        List<Integer> pruned = trials.entrySet().stream().filter(entry -> TestMlflow.tag(entry.getValue(), "lab.pruned") != null)
                .map(Map.Entry::getKey).toList();
        assertThat(pruned).as("pruned trials").contains(3, 4);
        try (MlflowTracker tracker = TestMlflow.tracker()) {
            for (int index : pruned) {
                Service.Run run = trials.get(index);
                long step = Long.parseLong(TestMlflow.tag(run, "lab.pruned.step"));
                assertThat(TestMlflow.tag(run, "lab.pruned")).startsWith("step " + step + ": ").contains("median");
                assertThat(tracker.metricHistory(run.getInfo().getRunId(), "train/loss"))
                        .as("its curve stops where it was pruned").isNotEmpty()
                        .allSatisfy(point -> assertThat(point.getStep()).isLessThanOrEqualTo(step));
                assertThat(step).isLessThan(200);
            }
        }
    }

    @Test
    void aKilledExecutorFailsOnlyItsTrialAndTheSweepCompletes() throws Exception {
        // Trial 2 trains practically forever unless its executor dies.
        Path file = sweep("spark-killed", "training.epochs: [20, 100000000, 30]");
        CompletableFuture<Result> sweep = CompletableFuture.supplyAsync(() -> lab("run", file.toString(),
                "--tracking-uri", TestMlflow.uri()));
        boolean killed = false;
        try {
            Service.Run running = awaitRunning("spark-killed", 2, sweep);
            long pid = pidOf(executorOf(running));
            assertThat(Files.readString(Path.of("/proc/" + pid + "/cmdline"))).contains("CoarseGrainedExecutorBackend");
            killed = ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, as the out-of-memory killer would
        } finally {
            // The test failed before its kill: end the endless trial all the same (each kill fails the running trials).
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!killed && !sweep.isDone() && System.nanoTime() < deadline) {
                cluster.killExecutors();
                try {
                    sweep.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // not yet: kill the new executors too
                }
            }
        }
        Result result = sweep.get(20, TimeUnit.MINUTES);
        assertThat(result.exitCode()).as(result.all()).isZero();
        Map<Integer, Service.Run> trials = TestMlflow.trials("spark-killed");
        assertThat(trials.get(1).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(trials.get(3).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(trials.get(2).getInfo().getStatus()).isEqualTo(Service.RunStatus.FAILED);
        assertThat(TestMlflow.tag(trials.get(2), "lab.error"))
                .contains("the cluster lost the trial during training", "ExecutorLostFailure", "not retried");
        assertThat(result.out()).contains("2 FINISHED", "1 FAILED");
    }

    @Test
    void theTrackingAddressAndCredentialsShowNowhereInSparkButReachTheExecutors() throws Exception {
        String password = "pw-" + Long.toHexString(System.nanoTime()) + "-never-shown";
        try (AuthenticatingProxy mlflow = new AuthenticatingProxy(TestMlflow.uri(), "lab-user", password)) {
            Path file = sweep("spark-secrets", "optimizer.lr: [0.2, 0.4]");
            // The launcher's way: a driver JVM of its own, the address and credentials in its environment only,
            // the master from LAB_SPARK_MASTER.
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(SparkTrialExecutor.JAVA_MODULE_OPTIONS);
            command.add("-XX:TieredStopAtLevel=1"); // as ./lab runs its JVMs: the executors take it over
            System.getProperties().stringPropertyNames().stream()
                    .filter(name -> name.startsWith("ai.djl.") || name.startsWith("lab."))
                    .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LabCommand.class.getName(), "run",
                    file.toString(), "--reports-dir", reports.toString()));
            ProcessBuilder driver = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("driver.log").toFile());
            driver.environment().putAll(Map.of("MLFLOW_TRACKING_URI", mlflow.uri(), "MLFLOW_TRACKING_USERNAME",
                    "lab-user", "MLFLOW_TRACKING_PASSWORD", password, "LAB_SPARK_MASTER", cluster.masterUrl));
            Process process = driver.start();
            boolean ended;
            try {
                ended = process.waitFor(20, TimeUnit.MINUTES);
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly(); // gone already, unless the wait ran out
            }
            assertThat(ended).as("the driver ended within 20 minutes (its output: %s)", folder.resolve("driver.log"))
                    .isTrue();
            String output = Files.readString(folder.resolve("driver.log"));
            assertThat(process.exitValue()).as(output).isZero();

            Map<Integer, Service.Run> trials = TestMlflow.trials("spark-secrets");
            assertThat(trials.values()).hasSize(2).allSatisfy(run ->
                    assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED));
            assertThat(trials.values()).allSatisfy(run -> assertThat(executorOf(run)).startsWith("spark executor"));
            assertThat(mlflow.refused.get()).as("requests without the credentials").isZero();
            assertThat(mlflow.dropped.get()).as("first log-batch calls dropped, one per run").isGreaterThanOrEqualTo(2);
            // Each executor's sender retried its dropped batch and said so, naming the server without its address.
            assertThat(filesContaining(cluster.workDirectory, List.of("MLflow tracking server of the sweep (its address"
                    + " is not shown on executors) is unreachable"))).as("executor logs of the retries").isNotEmpty();

            String base64 = mlflow.authorizationHeader().substring("Basic ".length());
            List<String> secrets = List.of(password, base64, mlflow.uri(), mlflow.uri().replace("http://", ""));
            String application = appId(output);
            assertThat(cluster.events(application)).as("the application's event log, in plain text")
                    .anyMatch(event -> event.path("Event").asText().equals("SparkListenerApplicationStart"));
            for (Path place : List.of(cluster.eventLogDirectory, cluster.workDirectory, cluster.directory)) {
                assertThat(filesContaining(place, secrets)).as("files under %s that show a secret", place).isEmpty();
            }
            assertThat(cluster.masterJson().toString()).doesNotContain(password, base64, mlflow.uri());
            // Each executor's launch command (the first line of its stderr) has the driver's JIT choice.
            List<String> launchCommands;
            try (Stream<Path> files = Files.walk(cluster.workDirectory.resolve(application))) {
                launchCommands = files.filter(path -> path.getFileName().toString().equals("stderr"))
                        .map(SparkSweepTest::readFirstLine).toList();
            }
            assertThat(launchCommands).as("executors of %s", application).isNotEmpty().allSatisfy(line ->
                    assertThat(line).startsWith("Spark Executor Command:").contains("\"-XX:TieredStopAtLevel=1\""));
        }
    }

    // --- helpers

    private static Map<Integer, Map<String, List<Double>>> histories(Map<Integer, Service.Run> trials) {
        Map<Integer, Map<String, List<Double>>> histories = new TreeMap<>();
        try (MlflowTracker tracker = TestMlflow.tracker()) {
            trials.forEach((index, run) -> {
                assertThat(run.getInfo().getStatus()).as("trial %d (%s)", index, TestMlflow.tag(run, "lab.error"))
                        .isEqualTo(Service.RunStatus.FINISHED);
                Map<String, List<Double>> metrics = new TreeMap<>();
                for (Service.Metric latest : run.getData().getMetricsList()) {
                    if (!NOT_DETERMINISTIC.matcher(latest.getKey()).matches()) {
                        List<Double> values = new ArrayList<>();
                        tracker.metricHistory(run.getInfo().getRunId(), latest.getKey()).stream()
                                .sorted(java.util.Comparator.comparingLong(Service.Metric::getStep))
                                .forEach(metric -> values.add(metric.getValue()));
                        metrics.put(latest.getKey(), values);
                    }
                }
                histories.put(index, metrics);
            });
        }
        return histories;
    }

    /** The mean of the runs' durations as MLflow has them (start to end). */
    private static double meanSeconds(Map<Integer, Service.Run> runs) {
        return runs.values().stream().mapToLong(run -> run.getInfo().getEndTime() - run.getInfo().getStartTime())
                .average().orElseThrow() / 1000.0;
    }

    /** Which executor trained the run: its number and JVM, without the task. */
    private static String executorOf(Service.Run run) {
        String host = TestMlflow.tag(run, TrialTask.HOST_TAG);
        assertThat(host).as("the %s tag of run %s", TrialTask.HOST_TAG, run.getInfo().getRunId()).isNotNull();
        return host.replaceAll(" on .*", "");
    }

    private static long pidOf(String executor) {
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(executor);
        assertThat(pid.find()).as(executor).isTrue();
        return Long.parseLong(pid.group(1));
    }

    private static void assertOneAtATime(List<Service.Run> runs) {
        List<Service.Run> byStart = new ArrayList<>(runs);
        byStart.sort(java.util.Comparator.comparingLong(run -> run.getInfo().getStartTime()));
        for (int i = 1; i < byStart.size(); i++) {
            assertThat(byStart.get(i).getInfo().getStartTime()).as("one trial at a time per executor")
                    .isGreaterThanOrEqualTo(byStart.get(i - 1).getInfo().getEndTime());
        }
    }

    private static Service.Run awaitRunning(String experiment, int index, CompletableFuture<Result> sweep)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15); // a loaded 2-core CI machine is slow
        RuntimeException last = null;
        while (true) {
            assertThat(sweep).as("the sweep still running").isNotDone();
            try (MlflowTracker tracker = TestMlflow.tracker()) {
                if (tracker.findExperiment(experiment).isPresent()) {
                    for (Service.Run run : TestMlflow.trials(experiment).values()) {
                        if (Integer.toString(index).equals(TestMlflow.tag(run, "lab.trial.index"))
                                && run.getInfo().getStatus() == Service.RunStatus.RUNNING) {
                            return run;
                        }
                    }
                }
            } catch (RuntimeException e) {
                // no parent run yet, or MLflow slow to answer on a loaded machine: ask again until the deadline
                last = e;
            }
            assertThat(System.nanoTime()).as("trial %d of %s running in time (last error: %s)", index, experiment, last)
                    .isLessThan(deadline);
            Thread.sleep(250); // a bounded poll of the condition above
        }
    }

    private static String appId(String driverOutput) {
        Matcher id = Pattern.compile("application (app-[0-9-]+)").matcher(driverOutput);
        assertThat(id.find()).as(driverOutput).isTrue();
        return id.group(1);
    }

    private static String readFirstLine(Path file) {
        try (java.io.BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return String.valueOf(reader.readLine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> filesContaining(Path directory, List<String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.filter(Files::isRegularFile).filter(path -> !path.toString().endsWith(".jar")).toList()) {
                String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
                secrets.stream().filter(text::contains).forEach(secret -> found.add(path + " shows " + secret));
            }
        }
        return found;
    }

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs the command line in this JVM (the Spark driver then lives here), capturing what it prints. */
    private static synchronized Result lab(String... arguments) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            List<String> all = new ArrayList<>(List.of(arguments));
            if (all.get(0).equals("run")) {
                all.addAll(List.of("--reports-dir", reports.toString()));
            }
            int exitCode = LabCommand.execute(all.toArray(String[]::new));
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}

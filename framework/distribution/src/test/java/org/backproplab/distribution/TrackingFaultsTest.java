package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.backproplab.core.tracking.MlflowTracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

/**
 * Fault injection against the real MLflow server, through {@link FaultProxy}: an outage, a stall, answers lost,
 * the end of a run while the server stalls, concurrent resumes of a sweep, and crafted data. Nothing measured is
 * ever lost: every metric has as many points as in an undisturbed run with the same seed.
 */
class TrackingFaultsTest {

    private static final String JOURNAL_PROPERTY = "lab.journal.dir";
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String[] SMALL_XOR = {"--set", "training.epochs=600", "--set", "training.log_every=10"};

    @TempDir
    static Path journals;

    @TempDir
    Path folder;

    private static String previousJournal;
    private static Map<String, Integer> reference;

    @BeforeAll
    static void undisturbedRun() {
        previousJournal = System.setProperty(JOURNAL_PROPERTY, journals.toString());
        LabProcess.Result result = xor("faults-reference", SharedMlflowServer.uri());
        assertThat(result.exitCode()).as(result.all()).isZero();
        reference = pointCounts(onlyRun("faults-reference"));
        assertThat(reference).containsKeys("train/loss", "eval/loss", "grad_norm/layer_01");
    }

    @AfterAll
    static void restore() {
        if (previousJournal == null) {
            System.clearProperty(JOURNAL_PROPERTY);
        } else {
            System.setProperty(JOURNAL_PROPERTY, previousJournal);
        }
    }

    @Test
    void anOutageMidRunWithLostAnswersLosesNoPoint() throws Exception {
        try (FaultProxy proxy = new FaultProxy(SharedMlflowServer.uri())) {
            CompletableFuture<LabProcess.Result> run = CompletableFuture.supplyAsync(() -> xor("faults-outage", proxy.uri()));
            await(() -> proxy.requests("/runs/log-batch") >= 2, "the first batches");
            proxy.dropAnswers(2); // done by the server, answer lost: the sender sends them again
            await(() -> proxy.droppedAnswers() >= 2, "two lost answers");
            proxy.mode(FaultProxy.Mode.REFUSE);
            await(() -> proxy.refused() >= 3, "three refused connections");
            proxy.mode(FaultProxy.Mode.PASS);

            LabProcess.Result result = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.all()).isZero();
            Service.Run outage = onlyRun("faults-outage");
            assertThat(outage.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(pointCounts(outage)).isEqualTo(reference);
            assertThat(datasetInputs(outage)).as("the dataset input went through the journal too").containsExactly("xor");
            assertThat(journalWith(outage.getInfo().getRunId())).as("everything arrived: the journal is gone").isEmpty();
        }
    }

    @Test
    void aStalledServerDoesNotHoldTrainingAndGetsTheBacklogAfter() throws Exception {
        try (FaultProxy proxy = new FaultProxy(SharedMlflowServer.uri())) {
            CompletableFuture<LabProcess.Result> run = CompletableFuture.supplyAsync(() -> xor("faults-stall", proxy.uri()));
            await(() -> proxy.requests("/runs/log-batch") >= 1, "the first batch");
            proxy.mode(FaultProxy.Mode.STALL);
            // Training ends (its final status is journaled) while the server holds every request.
            await(() -> journalWith("faults-stall", "\"k\":\"end\"").isPresent(), "training to end while the server stalls");
            assertThat(run).isNotDone();
            proxy.mode(FaultProxy.Mode.PASS);

            LabProcess.Result result = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.all()).isZero();
            Service.Run stalled = onlyRun("faults-stall");
            assertThat(stalled.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(pointCounts(stalled)).isEqualTo(reference);
        }
    }

    @Test
    void aServerStalledAtTheEndGetsABoundedWaitThenSyncCompletesTheRun() throws Exception {
        try (FaultProxy proxy = new FaultProxy(SharedMlflowServer.uri());
                FaultProxy elsewhere = new FaultProxy(SharedMlflowServer.uri())) {
            CompletableFuture<LabProcess.Result> run = CompletableFuture.supplyAsync(
                    () -> xor("faults-sync", proxy.uri(), "--flush-timeout", "1"));
            await(() -> proxy.requests("/runs/log-batch") >= 1, "the first batch");
            proxy.mode(FaultProxy.Mode.STALL);

            LabProcess.Result result = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.all()).isZero(); // training finished; MLflow lags behind
            Matcher pending = Pattern.compile("MLflow run (\\w+): (\\d+) metric points.* not on the server yet")
                    .matcher(result.err());
            assertThat(pending.find()).as(result.err()).isTrue();
            String runId = pending.group(1);
            assertThat(Long.parseLong(pending.group(2))).isPositive();
            assertThat(result.err()).contains("./lab sync " + runId);

            // To another server (here: another address, which the journal cannot know is the same): a new run.
            LabProcess.Result copied = LabProcess.lab("sync", runId, "--tracking-uri", elsewhere.uri());
            assertThat(copied.exitCode()).as(copied.all()).isZero();
            assertThat(copied.out()).contains("as new run").contains("complete");
            assertThat(journalWith(runId)).as("the journal keeps the mapping and the run's own server").isPresent();

            proxy.mode(FaultProxy.Mode.PASS);
            LabProcess.Result synced = LabProcess.lab("sync", runId);
            assertThat(synced.exitCode()).as(synced.all()).isZero();
            assertThat(synced.out()).contains("Run " + runId + ": sent").contains("complete");

            List<Service.Run> runs = SweepRuns.all("faults-sync");
            assertThat(runs).hasSize(2).allSatisfy(each -> {
                assertThat(each.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
                assertThat(pointCounts(each)).isEqualTo(reference);
                assertThat(datasetInputs(each)).as("the copy has the dataset input as well").containsExactly("xor");
            });
            assertThat(runs).anySatisfy(each -> assertThat(SweepRuns.tag(each, "lab.synced_from")).startsWith(runId));
            assertThat(journalWith(runId)).as("complete on its own server: the journal is gone").isEmpty();
        }
    }

    @Test
    void aSecondResumeRefusesWhileTheFirstRunsAndEveryTrialFinishesOnce() throws Exception {
        Path sweep = xorSweep("faults-resume", "0.1, 0.2, 0.3, 0.4");
        Process first = labProcess(sweep);
        try {
            await(() -> SweepRuns.all("faults-resume").stream().anyMatch(run -> run.getInfo().getStatus()
                    == Service.RunStatus.FINISHED), "the first trial to finish");
            LabProcess.Result second = resume(sweep);
            assertThat(second.exitCode()).as(second.all()).isEqualTo(2);
            assertThat(second.err()).contains("is being run by process " + first.pid()).contains("lease until");
            first.destroyForcibly(); // SIGKILL: it leaves a trial RUNNING and its lease to expire
            assertThat(first.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        Service.Run parent = SweepRuns.parents(SweepRuns.all("faults-resume")).get(0);
        long expires = Long.parseLong(SweepRuns.tag(parent, "lab.sweep.lease").replaceAll(".*\"expires\":(\\d+).*", "$1"));
        await(() -> System.currentTimeMillis() > expires, "the dead owner's lease to expire");

        LabProcess.Result takeover = resume(sweep);
        assertThat(takeover.exitCode()).as(takeover.all()).isZero();

        List<Service.Run> trials = SweepRuns.children(SweepRuns.all("faults-resume"), parent.getInfo().getRunId());
        Map<String, Long> finishedPerTrial = new TreeMap<>();
        for (Service.Run trial : trials) {
            if (trial.getInfo().getStatus() == Service.RunStatus.FINISHED) {
                finishedPerTrial.merge(SweepRuns.tag(trial, "lab.trial.id"), 1L, Long::sum);
                assertThat(SweepRuns.tag(trial, "lab.error")).as("a finished trial carries no error").isNull();
            } else {
                assertThat(trial.getInfo().getStatus()).isEqualTo(Service.RunStatus.KILLED);
                assertThat(SweepRuns.tag(trial, "lab.error")).contains("left running by an interrupted run");
            }
        }
        assertThat(finishedPerTrial).hasSize(4).allSatisfy((trial, count) -> assertThat(count).isEqualTo(1L));
    }

    @Test
    void twoResumesOfASweepThatNeverRanStartItOnce() throws Exception {
        Path sweep = xorSweep("faults-twin", "0.1, 0.2");
        Process one = labProcess(sweep, "twin-1.log", "--resume");
        Process other = labProcess(sweep, "twin-2.log", "--resume");
        try {
            assertThat(one.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(other.waitFor(3, TimeUnit.MINUTES)).isTrue();
        } finally {
            one.destroyForcibly();
            other.destroyForcibly();
        }
        String logs = Files.readString(folder.resolve("twin-1.log")) + Files.readString(folder.resolve("twin-2.log"));
        List<Service.Run> runs = SweepRuns.all("faults-twin");
        List<Service.Run> parents = SweepRuns.parents(runs);
        assertThat(parents).as(logs).hasSize(1);
        assertThat(SweepRuns.children(runs, parents.get(0).getInfo().getRunId()))
                .as("each trial once, under the one parent").hasSize(2)
                .allSatisfy(trial -> assertThat(trial.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED));
        assertThat(runs).as("no trial under a withdrawn parent").hasSize(3);
        // The two may have raced (one withdraws its parent, then finds the other's lease) or not (the second saw
        // the first's parent at once): either way exactly one ran the sweep and the other was refused.
        assertThat(List.of(one.exitValue(), other.exitValue())).as(logs).containsExactlyInAnyOrder(0, 2);
        assertThat(logs).contains("is being run by process");
        if (logs.split("Nothing to resume", -1).length == 3) { // both found no parent and created one
            assertThat(logs).contains("Another process started this sweep at the same time");
        }
    }

    @Test
    void craftedIdxFilesAreBadInputAndNothingReachesMlflow() throws IOException {
        Path data = Files.createDirectories(folder.resolve("crafted"));
        idx(data, "train", 3, 28, 28, new byte[] {1, (byte) 200, 2});
        idx(data, "t10k", 1, 28, 28, new byte[] {1});
        LabProcess.Result result = LabProcess.lab("run", LabProcess.experiment("fashion-mnist-mlp.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=faults-idx",
                "--set", "dataset.directory=" + data);
        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err()).contains("train-labels-idx1-ubyte").contains("label 200").contains("10 classes")
                .doesNotContain("Exception");

        idx(data, "train", -5, 28, 28, new byte[0]);
        LabProcess.Result negative = LabProcess.lab("run", LabProcess.experiment("fashion-mnist-mlp.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=faults-idx",
                "--set", "dataset.directory=" + data);
        assertThat(negative.exitCode()).as(negative.all()).isEqualTo(2);
        assertThat(negative.err()).contains("negative number of images").contains("-5");

        LabProcess.Result file = LabProcess.lab("run", LabProcess.experiment("fashion-mnist-mlp.yaml").toString(),
                "--tracking-uri", SharedMlflowServer.uri(), "--set", "tracking.experiment=faults-idx",
                "--set", "dataset.directory=" + data.resolve("t10k-labels-idx1-ubyte"));
        assertThat(file.exitCode()).as(file.all()).isEqualTo(2);
        assertThat(file.err()).contains("is a file, not a folder");

        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            assertThat(tracker.findExperiment("faults-idx")).isEmpty();
        }
    }

    @Test
    void anExperimentFileThatIsAPipeIsRefusedWithoutReadingIt() throws Exception {
        Path fifo = folder.resolve("experiment.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        LabProcess.Result result = LabProcess.lab("validate", fifo.toString());
        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.all()).contains("not a regular file (a named pipe)");
    }

    /** The names of the run's dataset inputs (MLflow's Datasets column). */
    private static List<String> datasetInputs(Service.Run run) {
        return run.getInputs().getDatasetInputsList().stream().map(input -> input.getDataset().getName()).toList();
    }

        private static LabProcess.Result xor(String experiment, String uri, String... options) {
        List<String> arguments = new ArrayList<>(List.of("run", LabProcess.experiment("xor.yaml").toString(),
                "--tracking-uri", uri, "--set", "tracking.experiment=" + experiment));
        arguments.addAll(List.of(SMALL_XOR));
        arguments.addAll(List.of(options));
        return LabProcess.lab(arguments.toArray(String[]::new));
    }

    /** A grid sweep named {@code name} over the learning rates {@code rates}, of xor trials a few seconds long. */
    private Path xorSweep(String name, String rates) throws IOException {
        return Files.writeString(folder.resolve(name + ".yaml"), """
                name: NAME
                seed: 7
                dataset:   { type: xor }
                model:     { type: mlp, hidden: [2], activation: sigmoid, init: xavier, output_activation: sigmoid }
                loss:      { type: mse }
                optimizer: { type: sgd, lr: 0.5 }
                training:  { epochs: 1500, batch_size: 4, log_every: 100, threads: 1 }
                tracking:  { experiment: NAME }
                sweep:
                  parameters:
                    optimizer.lr: [RATES]
                """.replace("NAME", name).replace("RATES", rates));
    }

    private LabProcess.Result resume(Path sweep) {
        return LabProcess.lab("run", sweep.toString(), "--resume", "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString());
    }

    /** The sweep in a process of its own, to be killed, with a short lease. */
    private Process labProcess(Path sweep) throws IOException {
        return labProcess(sweep, "first.log");
    }

    /** As {@link #labProcess(Path)}, its console in {@code log}, with {@code options} after the run's own. */
    private Process labProcess(Path sweep, String log, String... options) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Dai.djl.offline=true", "-Dlab.project.root=" + LabProcess.projectRoot(),
                "-D" + JOURNAL_PROPERTY + "=" + journals, "-Dlab.sweep.lease_seconds=4",
                "org.backproplab.core.cli.LabCommand", "run", sweep.toString(), "--tracking-uri", SharedMlflowServer.uri(),
                "--reports-dir", folder.resolve("reports").toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve(log).toFile());
        builder.command().addAll(List.of(options));
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    private static Service.Run onlyRun(String experiment) {
        List<Service.Run> runs = SweepRuns.all(experiment);
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    /** Points per metric key, as the server holds them. */
    private static Map<String, Integer> pointCounts(Service.Run run) {
        Map<String, Integer> counts = new TreeMap<>();
        try (MlflowTracker tracker = SharedMlflowServer.tracker()) {
            Service.Run current = tracker.getRun(run.getInfo().getRunId());
            for (Service.Metric metric : current.getData().getMetricsList()) {
                counts.put(metric.getKey(), tracker.metricHistory(run.getInfo().getRunId(), metric.getKey()).size());
            }
        }
        return counts;
    }

    /** The journal holding every one of {@code texts}, if any. */
    private static java.util.Optional<Path> journalWith(String... texts) {
        try (Stream<Path> files = Files.walk(journals)) {
            return files.filter(file -> file.getFileName().toString().equals("journal.jsonl")).filter(file -> {
                try {
                    String content = Files.readString(file, StandardCharsets.UTF_8);
                    return Stream.of(texts).allMatch(content::contains);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Polls {@code condition} until it holds, at most {@link #PATIENCE}. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Raw IDX files: {@code count} images of rows x columns (pixels as declared when count >= 0) and labels. */
    private static void idx(Path folder, String prefix, int count, int rows, int columns, byte[] labels) throws IOException {
        int pixels = Math.max(0, count) * rows * columns;
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), ByteBuffer.allocate(16 + pixels)
                .putInt(0x803).putInt(count).putInt(rows).putInt(columns).array());
        Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), ByteBuffer.allocate(8 + labels.length)
                .putInt(0x801).putInt(count).put(labels).array());
    }
}

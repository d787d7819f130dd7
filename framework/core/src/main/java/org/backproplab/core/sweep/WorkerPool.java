package org.backproplab.core.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.mlflow.api.proto.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trials in N worker processes at once. DJL allows one gradient collector per JVM, so each worker is a JVM
 * of its own; it trains the trials it is sent one after another (starting a JVM and PyTorch costs seconds) and
 * logs each to MLflow itself, printing the run's id first thing. When a worker dies (native crash, out of memory,
 * killed), this pool ends its trial's run FAILED with the reason, or records a FAILED trial if the run never
 * existed, starts a fresh worker for the next trial, and the sweep goes on. Stopping the pool (Ctrl-C,
 * {@code --fail-fast}) asks every worker to stop, which marks its run KILLED, and kills what remains.
 */
final class WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    /** How long stopped workers get to mark their runs KILLED before they are killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final int TAIL_LINES = 8;

    private final WorkerLaunch launch;
    private final int workers;
    private final SweepPlan plan;
    private final MlflowTracker tracker;
    private final SweepParent parent;
    private final SweepControl control;
    private final PrintStream out;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    WorkerPool(WorkerLaunch launch, int workers, SweepPlan plan, MlflowTracker tracker, SweepParent parent,
            SweepControl control, PrintStream out) {
        this.launch = launch;
        this.workers = workers;
        this.plan = plan;
        this.tracker = tracker;
        this.parent = parent;
        this.control = control;
        this.out = out;
        control.onStop(this::stopAll);
    }

    /** Runs the trials, at most {@code workers} at a time, and returns when every started one has ended. */
    void run(List<Trial> trials, ProgressDisplay display) {
        ConcurrentLinkedQueue<Trial> queue = new ConcurrentLinkedQueue<>(trials);
        control.runLanes(Math.min(workers, trials.size()), "lab-sweep-worker", () -> runLane(queue, trials, display));
    }

    /** One worker's share: trials from the queue until it is empty, a fresh worker whenever the last one died. */
    private void runLane(ConcurrentLinkedQueue<Trial> queue, List<Trial> trials, ProgressDisplay display) {
        Worker worker = null;
        try {
            Trial trial;
            while (!control.stopping() && (trial = queue.poll()) != null) {
                if (parent.hasFinished(trial)) {
                    continue; // finished meanwhile by a concurrent run of this sweep: never train it twice
                }
                int position = trials.indexOf(trial) + 1; // the display numbers trials as listed
                display.trialStarted(position, TrialEnd.label(trial, position));
                if (worker == null) {
                    worker = start();
                }
                TrialEnd end = worker == null ? startFailed(trial) : runIn(worker, trial);
                if (worker != null && !worker.process.isAlive()) {
                    worker.finish(); // it died with its trial: the next trial gets a fresh one
                    worker = null;
                }
                if (end.status() != null) {
                    display.trialEnded(position, TrialEnd.label(trial, position), end.status() == RunStatus.FINISHED,
                            end.status() + ": " + end.message());
                    control.trialEnded(trial, end.status());
                }
            }
        } finally {
            if (worker != null) {
                worker.finish();
            }
        }
    }

    private Worker start() {
        try {
            // Its standard input carries the trials; when it closes, the worker ends (or stops, if the sweep died).
            ProcessBuilder builder = launch.processFor(plan, tracker.trackingUri(), parent.runId());
            tracker.credentials().exportTo(builder.environment()); // never on the command line
            Process process = builder.start();
            running.add(process);
            if (control.stopping()) {
                process.destroy(); // stopping began while it started
            }
            return new Worker(process);
        } catch (IOException e) {
            LOG.warn("Could not start a worker process: {}", e.getMessage());
            return null;
        }
    }

    private TrialEnd startFailed(Trial trial) {
        String reason = "could not start a worker process (see the log)";
        parent.recordFailedTrial(trial, reason);
        return new TrialEnd(RunStatus.FAILED, reason);
    }

    /** Sends {@code trial} to {@code worker} and waits until the worker reports its end, or dies. */
    private TrialEnd runIn(Worker worker, Trial trial) {
        worker.tail.clear();
        worker.send(trial);
        String runId = null;
        while (true) {
            WorkerEvent event = worker.next();
            if (event instanceof WorkerEvent.RunStarted started) {
                runId = started.runId();
            } else if (event instanceof WorkerEvent.TrialDone done) {
                return endedInWorker(runId, done.status());
            } else if (event instanceof WorkerEvent.Exited exited) {
                return workerDied(trial, runId, exited.exitCode(), worker.tail);
            }
        }
    }

    /**
     * The worker ended the trial's run itself: its status and outcome are in MLflow, or on their way there (the
     * worker's journal still sends them), in which case the status the worker reported counts.
     */
    private TrialEnd endedInWorker(String runId, RunStatus reported) {
        if (runId == null) {
            return new TrialEnd(RunStatus.FAILED, "the worker reported no run"); // not expected: a run comes first
        }
        Service.Run run = tracker.getRun(runId);
        String message = SweepTags.of(run, SweepTags.OUTCOME);
        if (message == null) {
            message = SweepTags.of(run, SweepTags.ERROR);
        }
        Service.RunStatus status = run.getInfo().getStatus();
        RunStatus ended = status == Service.RunStatus.RUNNING || status == Service.RunStatus.SCHEDULED
                ? (reported != null ? reported : RunStatus.FAILED) : RunStatus.valueOf(status.name());
        return new TrialEnd(ended, message == null ? "" : message);
    }

    /** What became of a trial whose worker exited with {@code exitCode}; ends the run, which the worker could not. */
    private TrialEnd workerDied(Trial trial, String runId, int exitCode, Deque<String> tail) {
        String lastOutput = tail.isEmpty() ? "" : "; its last output: " + String.join(" | ", tail);
        if (runId == null) {
            runId = parent.runningAttempt(trial).orElse(null);
        }
        if (runId == null) {
            if (control.stopping()) {
                return new TrialEnd(null, "not started"); // stopped before its run existed: nothing to record
            }
            String reason = WorkerLaunch.describeExit(exitCode) + " before the trial's run was created" + lastOutput;
            parent.recordFailedTrial(trial, reason);
            return new TrialEnd(RunStatus.FAILED, reason);
        }
        Service.RunStatus status = tracker.getRun(runId).getInfo().getStatus();
        if (status != Service.RunStatus.FINISHED && (status == Service.RunStatus.RUNNING || !control.stopping())) {
            // Still running: it died without a word. Ended already, e.g. KILLED on a SIGTERM from outside the sweep:
            // for the sweep the trial crashed all the same.
            RunStatus ending = control.stopping() ? RunStatus.KILLED : RunStatus.FAILED;
            String reason = control.stopping() ? "the sweep was stopped (" + control.stopReason() + ")"
                    : WorkerLaunch.describeExit(exitCode) + " (exit code " + exitCode + ") during training" + lastOutput;
            parent.endTrialRun(runId, ending, reason);
            return new TrialEnd(ending, reason);
        }
        return endedInWorker(runId, null);
    }

    /** Asks every worker to stop (each marks its run KILLED), then kills those that have not within the grace time. */
    void stopAll() {
        List<Process> processes = List.copyOf(running);
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process process : processes) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    LOG.warn("Worker process {} did not stop in time; killing it", process.pid());
                    Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroyForcibly);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** What a worker's output says. */
    private sealed interface WorkerEvent {
        record RunStarted(String runId) implements WorkerEvent {}

        /** @param status what the worker's run ended as; {@code null} if it did not say */
        record TrialDone(RunStatus status) implements WorkerEvent {}

        record Exited(int exitCode) implements WorkerEvent {}
    }

    /** One worker process: trials go in on its standard input, events come out of its output. */
    private final class Worker {

        private final Process process;
        private final Writer commands;
        private final BlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
        private final Deque<String> tail = new ArrayDeque<>();

        Worker(Process process) {
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readOutput, "lab-sweep-worker-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void readOutput() {
            boolean verbose = ConsoleMode.current().verbose();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    if (line.startsWith(WorkerLaunch.RUN_ID_MARKER)) {
                        events.add(new WorkerEvent.RunStarted(line.substring(WorkerLaunch.RUN_ID_MARKER.length()).trim()));
                    } else if (line.startsWith(WorkerLaunch.TRIAL_DONE_MARKER)) {
                        events.add(new WorkerEvent.TrialDone(WorkerLaunch.reportedStatus(line)));
                    } else {
                        if (verbose) {
                            out.println("[worker " + process.pid() + "] " + line);
                        }
                        synchronized (tail) {
                            tail.addLast(line);
                            if (tail.size() > TAIL_LINES) {
                                tail.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                LOG.debug("Lost the output of worker {}: {}", process.pid(), e.toString());
            }
            events.add(new WorkerEvent.Exited(awaitExit()));
        }

        void send(Trial trial) {
            try {
                commands.write(WorkerLaunch.trialCommand(trial));
                commands.flush();
            } catch (IOException e) {
                // It has died: its Exited event says how.
                LOG.debug("Worker {} did not take trial {}: {}", process.pid(), trial.index(), e.toString());
            }
        }

        WorkerEvent next() {
            try {
                return events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
                return new WorkerEvent.Exited(awaitExit());
            }
        }

        /** No more trials: close its input, so that it ends, and wait for it. */
        void finish() {
            try {
                commands.close();
            } catch (IOException e) {
                // it has exited already
            }
            awaitExit();
            running.remove(process);
        }

        private int awaitExit() {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return -1;
            }
        }
    }
}

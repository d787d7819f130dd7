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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.run.ProgressDisplay;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
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
final class WorkerPool implements TrialExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    /** How long stopped workers get to mark their runs KILLED before they are killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final int TAIL_LINES = 8;

    private final WorkerLaunch launch;
    private final EarlyWorkers early;
    private final int workers;
    private final SweepPlan plan;
    private final MlflowTracker tracker;
    private final SweepParent parent;
    private final SweepControl control;
    private final PrintStream out;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param early workers started before the sweep's checks, taken before any new one is started
     */
    WorkerPool(WorkerLaunch launch, EarlyWorkers early, int workers, SweepPlan plan, MlflowTracker tracker,
            SweepParent parent, SweepControl control, PrintStream out) {
        this.launch = launch;
        this.early = early;
        this.workers = workers;
        this.plan = plan;
        this.tracker = tracker;
        this.parent = parent;
        this.control = control;
        this.out = out;
        control.onStop(this::stopAll);
    }

    /** Runs the feed's trials, at most {@code workers} at a time, and returns when every started one has ended. */
    @Override
    public void run(TrialFeed feed, ProgressDisplay display) {
        int lanes = Math.max(1, Math.min(workers, feed.toRun()));
        early.keep(lanes); // a resumed sweep may have fewer trials left than workers were started
        control.runLanes(lanes, "lab-sweep-worker", () -> runLane(feed, display));
    }

    /**
     * One worker's share: a trial from the feed whenever this worker is free (so TPE proposes it from every result
     * so far), until the feed has none; a fresh worker whenever the last one died.
     */
    private void runLane(TrialFeed feed, ProgressDisplay display) {
        Worker worker = null;
        try {
            Optional<TrialFeed.Slot> slot;
            while (!control.stopping() && (slot = feed.next()).isPresent()) {
                Trial trial = slot.get().trial();
                int position = slot.get().position();
                display.trialStarted(position, TrialEnd.label(trial, position));
                if (worker == null) {
                    worker = start();
                }
                TrialEnd end = worker == null ? startFailed(trial) : runIn(worker, trial, feed);
                if (worker != null && !worker.process.isAlive()) {
                    worker.finish(); // it died with its trial: the next trial gets a fresh one
                    worker = null;
                }
                String outcome = feed.ended(trial, end);
                if (end.status() != null) {
                    display.trialEnded(position, TrialEnd.label(trial, position), end.status() == RunStatus.FINISHED,
                            outcome);
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
            Process process = early.take();
            if (process == null) {
                process = launch.start(plan, tracker);
            }
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

    /**
     * Sends {@code trial} to {@code worker} and waits until the worker reports its end, or dies; answers each
     * objective value it reports with the pruner's decision.
     */
    private TrialEnd runIn(Worker worker, Trial trial, TrialFeed feed) {
        worker.tail.clear();
        worker.send(WorkerLaunch.trialCommand(trial, parent.runId()), trial);
        String runId = null;
        while (true) {
            WorkerEvent event = worker.next();
            if (event instanceof WorkerEvent.RunStarted started) {
                runId = started.runId();
            } else if (event instanceof WorkerEvent.Report report) {
                worker.send(WorkerLaunch.pruningAnswer(feed.report(trial, report.step(), report.value())), trial);
            } else if (event instanceof WorkerEvent.TrialDone done) {
                // Its status and outcome are in MLflow, or on their way there (the worker's journal still sends
                // them), in which case the status the worker reported counts.
                return TrialEnd.ofRun(tracker, runId, done.status());
            } else if (event instanceof WorkerEvent.Exited exited) {
                return workerDied(trial, runId, exited.exitCode(), worker.tail);
            }
        }
    }

    /** What became of a trial whose worker exited with {@code exitCode}; ends the run, which the worker could not. */
    private TrialEnd workerDied(Trial trial, String runId, int exitCode, Deque<String> tail) {
        String lastOutput = tail.isEmpty() ? "" : "; its last output: " + String.join(" | ", tail);
        return TrialEnd.lost(parent, tracker, control, trial, runId,
                WorkerLaunch.describeExit(exitCode) + " before the trial's run was created" + lastOutput,
                WorkerLaunch.describeExit(exitCode) + " (exit code " + exitCode + ") during training" + lastOutput);
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

        /** The trial's objective at an evaluation: the worker waits for the pruner's answer. */
        record Report(long step, double value) implements WorkerEvent {}

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
                    } else if (line.startsWith(WorkerLaunch.REPORT_MARKER)) {
                        WorkerLaunch.Report report = WorkerLaunch.parseReport(line);
                        events.add(new WorkerEvent.Report(report.step(), report.value()));
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

        void send(String line, Trial trial) {
            try {
                commands.write(line);
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

package org.backproplab.core.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;

/**
 * How to start a worker process: the same java executable, class path and memory settings as this JVM, running
 * {@code lab run FILE ... --worker} (a hidden option), with PyTorch's threads divided among the workers so that
 * they do not fight over the cores. The worker reads one {@link #trialCommand} line per trial on its standard
 * input, which also names the sweep's parent run (so a worker can start, and load PyTorch, before that run exists),
 * and answers on its output with {@link #RUN_ID_MARKER} and {@link #TRIAL_DONE_MARKER} lines.
 *
 * @param java the java executable
 * @param classPath the class path
 * @param jvmOptions memory and -XX settings of this JVM, and the system properties a worker needs
 * @param threadsPerWorker PyTorch intra-op threads per worker
 * @param arguments command-line options for every worker, e.g. {@code --plugins DIR}
 */
record WorkerLaunch(String java, String classPath, List<String> jvmOptions, int threadsPerWorker, List<String> arguments) {

    static final String MAIN_CLASS = "org.backproplab.core.cli.LabCommand";
    /** The line a worker prints as soon as its trial's run exists, followed by the run's id. */
    static final String RUN_ID_MARKER = "@@lab-trial-run-id ";
    /** The line a worker prints when it has ended its trial's run and waits for the next trial, then the status. */
    static final String TRIAL_DONE_MARKER = "@@lab-trial-done";
    /** The line a worker prints at each evaluation of a pruned sweep: step and objective; it waits for the answer. */
    static final String REPORT_MARKER = "@@lab-trial-report ";
    /** The answers to a report: go on, or stop for the reason that follows. */
    static final String CONTINUE_ANSWER = "continue";
    static final String PRUNE_ANSWER = "prune ";
    private static final String TRIAL_COMMAND = "trial";

    WorkerLaunch {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
    }

    /** A launch like this JVM, for {@code workers} workers sharing its PyTorch threads. */
    static WorkerLaunch likeThisJvm(int workers, List<String> arguments) {
        List<String> options = new ArrayList<>(ChildJvm.inheritedOptions());
        int threads = Math.max(1, totalThreads() / workers);
        options.add("-Dlab.default.threads=" + threads);
        return new WorkerLaunch(ChildJvm.java(), System.getProperty("java.class.path"), options, threads, arguments);
    }

    /** The PyTorch threads this process would use: the launcher's default, else one per core. */
    static int totalThreads() {
        return Integer.getInteger("lab.default.threads", Runtime.getRuntime().availableProcessors());
    }

    /** A worker process for the trials of {@code plan}, logging them to {@code trackingUri}. */
    ProcessBuilder processFor(SweepPlan plan, String trackingUri) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-cp");
        command.add(classPath);
        command.addAll(jvmOptions);
        command.add(MAIN_CLASS);
        command.add("run");
        command.add(plan.fileName());
        for (String override : plan.overrides()) {
            command.add("--set");
            command.add(override);
        }
        command.addAll(arguments);
        command.addAll(List.of("--tracking-uri", trackingUri, "--worker"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("OPT_OUT_TRACKING", "true");
        environment.put("DJL_OFFLINE", "true");
        environment.put("OMP_NUM_THREADS", Integer.toString(threadsPerWorker));
        return builder;
    }

    /**
     * Starts a worker for the trials of {@code plan}. Its standard input carries the trials; when it closes, the
     * worker ends (or stops, if the sweep died). The server's credentials go in its environment, never on its
     * command line.
     */
    Process start(SweepPlan plan, MlflowTracker tracker) throws IOException {
        ProcessBuilder builder = processFor(plan, tracker.trackingUri());
        tracker.credentials().exportTo(builder.environment());
        return builder.start();
    }

    /** The status at the end of a {@link #TRIAL_DONE_MARKER} line; {@code null} if none. */
    static RunStatus reportedStatus(String line) {
        String status = line.substring(TRIAL_DONE_MARKER.length()).trim();
        for (RunStatus candidate : RunStatus.values()) {
            if (candidate.name().equals(status)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The line that sends a worker a trial: its number, the id the sweep expects it to have, the parent run to log it
     * under, and its values as JSON (a TPE trial exists only once proposed, so the worker makes it from them).
     */
    static String trialCommand(Trial trial, String parentRunId) {
        return TRIAL_COMMAND + " " + trial.index() + " " + trial.trialId() + " " + parentRunId + " "
                + TrialJson.write(trial.values()) + "\n";
    }

    /**
     * The trial number, id, parent run and values of a {@link #trialCommand} line.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static TrialCommand parseTrialCommand(String line) {
        String[] parts = line.trim().split(" ", 5);
        if (parts.length != 5 || !parts[0].equals(TRIAL_COMMAND) || !parts[1].matches("\\d{1,9}")
                || !parts[3].matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("not a trial command: '" + line + "'");
        }
        return new TrialCommand(Integer.parseInt(parts[1]), parts[2], parts[3], TrialJson.values(parts[4]));
    }

    /** A trial a worker is asked to run, under the parent run {@code parentRunId}. */
    record TrialCommand(int index, String trialId, String parentRunId, Map<String, Object> values) {}

    /** The line a worker prints to report its objective {@code value} at {@code step}. */
    static String report(long step, double value) {
        return REPORT_MARKER + step + " " + value;
    }

    /** An objective value a worker reported. */
    record Report(long step, double value) {}

    /**
     * The step and value of a {@link #report} line.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static Report parseReport(String line) {
        String[] parts = line.substring(REPORT_MARKER.length()).trim().split(" ");
        try {
            return new Report(Long.parseLong(parts[0]), Double.parseDouble(parts[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a report: '" + line + "'", e);
        }
    }

    /** The line answering a report: {@link #CONTINUE_ANSWER}, or {@link #PRUNE_ANSWER} and the reason. */
    static String pruningAnswer(String reason) {
        return (reason == null ? CONTINUE_ANSWER : PRUNE_ANSWER + reason.replaceAll("\\R", " ")) + "\n";
    }

    /** The reason of a {@link #pruningAnswer} line, or {@code null} when it says go on. */
    static String pruningReason(String answer) {
        return answer.startsWith(PRUNE_ANSWER) ? answer.substring(PRUNE_ANSWER.length()) : null;
    }

    /** Why a worker process ended, from its exit status, e.g. "killed by SIGKILL (kill -9 or out of memory)". */
    static String describeExit(int exitCode) {
        return switch (exitCode) {
            case 0 -> "the worker process exited normally";
            case 1 -> "the worker process reported a failed run";
            case 2 -> "the worker process refused its trial (bad input)";
            case 3 -> "the worker process could not reach the MLflow server";
            case 134 -> "the worker process aborted (SIGABRT: a native crash)";
            case 137 -> "the worker process was killed by SIGKILL (kill -9, or the out-of-memory killer)";
            case 139 -> "the worker process crashed (SIGSEGV: a native crash)";
            case 130, 143 -> "the worker process was stopped by a signal (SIGINT or SIGTERM)";
            default -> exitCode > 128 ? "the worker process was killed by signal " + (exitCode - 128)
                    : "the worker process exited with code " + exitCode;
        };
    }
}

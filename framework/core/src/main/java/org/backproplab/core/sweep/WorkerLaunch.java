package org.backproplab.core.sweep;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.backproplab.core.tracking.RunStatus;

/**
 * How to start a worker process: the same java executable, class path and memory settings as this JVM, running
 * {@code lab run FILE ... --parent-run-id ID --worker} (hidden options), with PyTorch's threads divided among the
 * workers so that they do not fight over the cores. The worker reads one {@link #trialCommand} line per trial on
 * its standard input, and answers on its output with {@link #RUN_ID_MARKER} and {@link #TRIAL_DONE_MARKER} lines.
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
    private static final String TRIAL_COMMAND = "trial";
    /** System properties passed on as they are: DJL offline mode, the project root, the MLflow executable... */
    private static final List<String> PASSED_PREFIXES = List.of("ai.djl.", "lab.");
    /** ...except the thread counts, which are the worker's own. */
    private static final List<String> NOT_PASSED = List.of(
            "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads", "lab.default.threads");

    WorkerLaunch {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
    }

    /** A launch like this JVM, for {@code workers} workers sharing its PyTorch threads. */
    static WorkerLaunch likeThisJvm(int workers, List<String> arguments) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Memory and GC settings; not agents (a debugger or coverage agent would collide between processes).
            if (argument.startsWith("-Xm") || argument.startsWith("-Xss") || argument.startsWith("-XX:")) {
                options.add(argument);
            }
        }
        passedProperties().forEach((name, value) -> options.add("-D" + name + "=" + value));
        int threads = Math.max(1, totalThreads() / workers);
        options.add("-Dlab.default.threads=" + threads);
        return new WorkerLaunch(java, System.getProperty("java.class.path"), options, threads, arguments);
    }

    /** The system properties of this JVM that a process training its trials needs too, by name. */
    static Map<String, String> passedProperties() {
        Properties properties = System.getProperties();
        Map<String, String> passed = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (PASSED_PREFIXES.stream().anyMatch(name::startsWith) && !NOT_PASSED.contains(name)) {
                passed.put(name, properties.getProperty(name));
            }
        }
        return passed;
    }

    /** The PyTorch threads this process would use: the launcher's default, else one per core. */
    static int totalThreads() {
        return Integer.getInteger("lab.default.threads", Runtime.getRuntime().availableProcessors());
    }

    /** A worker process for the trials of {@code plan}, logging them under {@code parentRunId}. */
    ProcessBuilder processFor(SweepPlan plan, String trackingUri, String parentRunId) {
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
        command.addAll(List.of("--tracking-uri", trackingUri, "--parent-run-id", parentRunId, "--worker"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("OPT_OUT_TRACKING", "true");
        environment.put("DJL_OFFLINE", "true");
        environment.put("OMP_NUM_THREADS", Integer.toString(threadsPerWorker));
        return builder;
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

    /** The line that sends a worker a trial: its number and the id the sweep expects it to have. */
    static String trialCommand(Trial trial) {
        return trialCommand(trial.index(), trial.trialId());
    }

    static String trialCommand(int index, String trialId) {
        return TRIAL_COMMAND + " " + index + " " + trialId + "\n";
    }

    /**
     * The trial number and id of a {@link #trialCommand} line.
     *
     * @throws IllegalArgumentException if it is not one
     */
    static TrialCommand parseTrialCommand(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 3 || !parts[0].equals(TRIAL_COMMAND) || !parts[1].matches("\\d{1,9}")) {
            throw new IllegalArgumentException("not a trial command: '" + line + "'");
        }
        return new TrialCommand(Integer.parseInt(parts[1]), parts[2]);
    }

    /** A trial a worker is asked to run. */
    record TrialCommand(int index, String trialId) {}

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

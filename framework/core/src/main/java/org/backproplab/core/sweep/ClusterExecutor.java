package org.backproplab.core.sweep;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a sweep's trials on other machines, e.g. as tasks of an Apache Spark cluster: "run these trials
 * somewhere, report each trial's end". The sweep (parent run, summary, report) stays in this process; each trial
 * is trained where the executor puts it, by {@code org.backproplab.core.cli.TrialHost}, exactly as a
 * {@code --workers} process trains it, and logs to the same MLflow server itself.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} by {@link #name()}, so that the core names
 * none of them and {@code ./lab} carries a cluster's libraries only when asked to. A TPE sweep's trials are
 * proposed in this process whenever the cluster has room for one more ({@link Cluster#capacity()}); a sweep with
 * a pruner is refused, since a trial on another machine has no way back to the pruner at each evaluation.
 */
public interface ClusterExecutor {

    /** What {@code --executor} and {@code sweep.executor} call it, e.g. {@code spark}. */
    String name();

    /**
     * Connects to the cluster and prepares it to train trials (e.g. starts the executor processes, which then
     * serve every trial of the sweep).
     *
     * @throws org.backproplab.core.training.UserFacingException if the cluster cannot be reached or the settings
     *     are wrong; nothing has been logged to MLflow then
     */
    Cluster open(Settings settings, PrintStream out);

    /**
     * What an executor needs from the sweep.
     *
     * @param remote the user's choice: master and settings
     * @param appName a name for the cluster's listings, e.g. {@code lab sweep lr-sweep}
     * @param jvmOptions JVM options for a process that trains trials, e.g. this JVM's choice of JIT compilers
     * @param systemProperties JVM system properties a process that trains trials needs (DJL offline mode...),
     *     without secrets: they may show on command lines
     * @param environment environment variables for the same, without secrets
     */
    record Settings(RemoteExecution remote, String appName, List<String> jvmOptions, Map<String, String> systemProperties,
            Map<String, String> environment) {

        public Settings {
            jvmOptions = List.copyOf(jvmOptions);
            systemProperties = Map.copyOf(systemProperties);
            environment = Map.copyOf(environment);
        }
    }

    /** A cluster ready for one sweep's trials. Closing it releases the cluster's processes. */
    interface Cluster extends AutoCloseable {

        /** One line for the console, e.g. {@code Spark spark://host:7077, 1 core and 1 trial per executor}. */
        String describe();

        /** PyTorch threads each trial trains with: the cores an executor has for its one trial. */
        int threadsPerTrial();

        /** The address at which the cluster's executors reach this process (the driver), e.g. for the pruner. */
        String driverHost();

        /** How many trials the sweep hands it at once; more wait in the cluster's own queue. */
        int concurrency();

        /**
         * How many trials can train at once now, e.g. the executors that have registered; 0 when none has yet.
         * An adaptive (TPE) sweep keeps this many in flight (at least one), so that each is proposed from every
         * result so far rather than queued long before an executor is free.
         */
        int capacity();

        /**
         * Runs one trial.
         *
         * @param onStarted called once the trial has started on a machine, with where (e.g. {@code executor 1})
         * @return completes with the trial's outcome once the host has ended its run, or exceptionally when the
         *     process training it was lost (killed, crashed) or the trial was cancelled; the message says why
         */
        CompletableFuture<TrialRequest.Reply> submit(TrialRequest request, Runnable onStarted);

        /** Cancels every submitted trial (Ctrl-C, {@code --fail-fast}); their futures complete exceptionally. */
        void cancelAll();

        /** How a trial that failed with this exception is not tried again, and why; added to its error. */
        String retryPolicy();

        @Override
        void close();
    }
}

package org.backproplab.spark;

import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.backproplab.core.cli.TrialHost;
import org.backproplab.core.sweep.TrialRequest;

/**
 * The Spark task of one trial: trains it in this executor's JVM through {@link TrialHost}, as a worker process
 * would. The request, credentials included, travels inside the task, never in Spark's settings.
 */
final class TrialTask implements Function<TrialRequest, TrialRequest.Reply> {

    private static final long serialVersionUID = 1L;

    /** The tag naming the executor that trained a trial: which JVM to look at when something went wrong. */
    static final String HOST_TAG = "lab.trial.host";

    @Override
    public TrialRequest.Reply call(TrialRequest request) {
        TaskContext task = TaskContext.get();
        String host = "spark executor " + SparkEnv.get().executorId() + ", pid " + ProcessHandle.current().pid()
                + " on " + hostName() + (task == null ? "" : ", task " + task.taskAttemptId());
        return TrialHost.run(request, Map.of(HOST_TAG, host));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown host";
        }
    }
}

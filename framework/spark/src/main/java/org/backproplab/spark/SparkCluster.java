package org.backproplab.spark;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.backproplab.core.sweep.ClusterExecutor;
import org.backproplab.core.sweep.TrialRequest;

/**
 * One sweep's Spark application: each trial one job of one task, submitted from its own thread; Spark queues
 * what the executors cannot take yet and hands it to the next free one (a TPE sweep submits only as many as
 * {@link #capacity()}, so that it proposes each trial when an executor is free).
 */
final class SparkCluster implements ClusterExecutor.Cluster {

    /** Trials handed to Spark at once; the rest wait in the sweep's queue, in order. */
    private static final int CONCURRENCY = 64;
    private static final String GROUP_PROPERTY = "spark.jobGroup.id";

    private final JavaSparkContext context;
    private final String master;
    private final int cores;
    private final int maxFailures;
    private final ExecutorService submitters = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lab-spark-trial");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong groups = new AtomicLong();
    /** What to call when a job group's task starts, and which group each stage belongs to. */
    private final Map<String, Runnable> onStarted = new ConcurrentHashMap<>();
    private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();

    SparkCluster(JavaSparkContext context, String master, int cores, int maxFailures) {
        this.context = context;
        this.master = master;
        this.cores = cores;
        this.maxFailures = maxFailures;
        context.sc().addSparkListener(new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
                String group = submitted.properties() == null ? null : submitted.properties().getProperty(GROUP_PROPERTY);
                if (group != null) {
                    groupOfStage.put(submitted.stageInfo().stageId(), group);
                }
            }

            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                String group = groupOfStage.get(start.stageId());
                Runnable callback = group == null ? null : onStarted.get(group);
                if (callback != null) {
                    callback.run();
                }
            }
        });
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Spark %s (application %s), one trial per executor of %d core%s", master,
                context.sc().applicationId(), cores, cores == 1 ? "" : "s");
    }

    /** Where Spark's executors reach the driver: {@code spark.driver.host}, which Spark sets when it starts. */
    @Override
    public String driverHost() {
        return context.getConf().get("spark.driver.host", "127.0.0.1");
    }

    @Override
    public int threadsPerTrial() {
        return cores;
    }

    @Override
    public int concurrency() {
        return CONCURRENCY;
    }

    /** The executors registered now, each training one trial at a time; in local mode the driver is the one. */
    @Override
    public int capacity() {
        if (context.sc().isLocal()) {
            return 1;
        }
        return Math.max(0, context.sc().statusTracker().getExecutorInfos().length - 1); // the driver is listed too
    }

    @Override
    public CompletableFuture<TrialRequest.Reply> submit(TrialRequest request, Runnable started) {
        String group = "lab-trial-" + request.index() + "-" + groups.incrementAndGet();
        onStarted.put(group, started);
        return CompletableFuture.supplyAsync(() -> {
            // Job groups are per thread: this one's job is the trial's, and cancelAll interrupts its task.
            context.setJobGroup(group, "trial " + request.index() + " of " + request.fileName(), true);
            try {
                List<TrialRequest.Reply> replies = context.parallelize(List.of(request), 1).map(new TrialTask()).collect();
                return replies.get(0);
            } catch (RuntimeException e) {
                throw new IllegalStateException(reason(e), e);
            } finally {
                context.clearJobGroup();
                onStarted.remove(group);
            }
        }, submitters);
    }

    /** The line of Spark's exception that says what happened, e.g. {@code ExecutorLostFailure (...) Reason: ...}. */
    static String reason(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int driverTrace = message.indexOf("\nDriver stacktrace");
        if (driverTrace >= 0) {
            message = message.substring(0, driverTrace);
        }
        message = message.replaceFirst("^Job aborted due to stage failure: ", "");
        // A task's own exception comes with its stack trace: its first line is the message.
        String[] lines = message.strip().split("\n");
        return lines[0].strip();
    }

    @Override
    public void cancelAll() {
        context.cancelAllJobs();
    }

    @Override
    public String retryPolicy() {
        if (maxFailures > 1) {
            return "Spark tried it " + maxFailures + " times (spark.task.maxFailures)";
        }
        return "not retried (spark.task.maxFailures = 1): a trial that ends its JVM (out of memory, a native crash) would"
                + " most likely end the next one too, and each retry would be another run of it in MLflow;"
                + " --resume runs it again";
    }

    @Override
    public void close() {
        submitters.shutdownNow();
        context.stop();
    }
}

package org.backproplab.core.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * How to run a sweep, from the command line.
 *
 * @param workers worker processes running trials at once; 0 runs them one after another in this process
 * @param resume continue the earlier run of the same sweep instead of starting a new one
 * @param failFast stop at the first failed trial instead of going on
 * @param reportsDirectory where the summary and report go, in a directory per sweep run
 * @param engineThreads in this process: the PyTorch threads in force for a trial's {@code training.threads}
 *     (0 when unset); PyTorch fixes them at its first use
 * @param workerArguments command-line options every worker needs too, e.g. {@code --plugins DIR}
 * @param remote where the trials run when on a cluster ({@code --executor}); {@code null}: on this machine
 */
public record SweepOptions(int workers, boolean resume, boolean failFast, Path reportsDirectory,
        IntUnaryOperator engineThreads, List<String> workerArguments, RemoteExecution remote) {

    /** More workers than this is a typo; each one is a JVM with its own copy of the data. */
    public static final int MAX_WORKERS = 64;

    public SweepOptions {
        if (workers < 0 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be 0 to " + MAX_WORKERS + ", got " + workers);
        }
        Objects.requireNonNull(reportsDirectory, "reportsDirectory");
        Objects.requireNonNull(engineThreads, "engineThreads");
        workerArguments = List.copyOf(workerArguments);
        if (remote != null && workers > 0) {
            throw new IllegalArgumentException("workers run on this machine; a cluster's executors run the trials");
        }
    }

    /** Trials on this machine. */
    public SweepOptions(int workers, boolean resume, boolean failFast, Path reportsDirectory,
            IntUnaryOperator engineThreads, List<String> workerArguments) {
        this(workers, resume, failFast, reportsDirectory, engineThreads, workerArguments, null);
    }
}

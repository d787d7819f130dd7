package org.backproplab.core.cli;

import org.slf4j.LoggerFactory;

/**
 * Pins PyTorch's thread counts before the engine starts: it reads them once per process, and a
 * different count changes results in the last bits, so a run records the count it really used.
 */
final class EngineThreads {

    private static Integer configured;

    private EngineThreads() {}

    /**
     * Sets the intra-op threads (the experiment's, else the launcher's default) and one inter-op
     * thread, and returns the count in force: the first one set in this process.
     */
    static synchronized int configure(Integer requested) {
        int threads = requested != null
                ? requested
                : Integer.getInteger("lab.default.threads", Integer.getInteger("ai.djl.pytorch.num_threads",
                        Runtime.getRuntime().availableProcessors()));
        if (configured == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            configured = Integer.getInteger("ai.djl.pytorch.num_threads");
        } else if (configured != threads) {
            LoggerFactory.getLogger(EngineThreads.class).warn(
                    "PyTorch already runs {} threads in this process; training.threads = {} cannot apply", configured, threads);
        }
        return configured;
    }
}

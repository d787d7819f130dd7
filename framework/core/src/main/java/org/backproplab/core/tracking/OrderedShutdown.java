package org.backproplab.core.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * One JVM shutdown hook that runs in two phases: first every "finisher" (mark runs KILLED, send
 * buffered metrics), then every "closer" (stop the local MLflow server). Separate JVM hooks would
 * run concurrently, and the server could go before the runs it holds are marked.
 */
public final class OrderedShutdown {

    private static final long FINISH_SECONDS = 30;
    private static final List<Runnable> FINISHERS = new ArrayList<>();
    private static final List<Runnable> CLOSERS = new ArrayList<>();
    private static boolean hookInstalled;

    private OrderedShutdown() {}

    /** Runs {@code action} at shutdown before any closer; returns a handle that unregisters it. */
    public static synchronized Runnable beforeClose(Runnable action) {
        install();
        FINISHERS.add(action);
        return () -> remove(FINISHERS, action);
    }

    /** Runs {@code action} at shutdown after every finisher; returns a handle that unregisters it. */
    public static synchronized Runnable atClose(Runnable action) {
        install();
        CLOSERS.add(action);
        return () -> remove(CLOSERS, action);
    }

    private static synchronized void remove(List<Runnable> actions, Runnable action) {
        actions.remove(action);
    }

    private static void install() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(OrderedShutdown::runAll, "lab-ordered-shutdown"));
            hookInstalled = true;
        }
    }

    private static void runAll() {
        List<Runnable> finishers;
        List<Runnable> closers;
        synchronized (OrderedShutdown.class) {
            finishers = List.copyOf(FINISHERS);
            closers = List.copyOf(CLOSERS);
        }
        CompletableFuture<?>[] running = finishers.stream().map(OrderedShutdown::quietly).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(running).get(FINISH_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LoggerFactory.getLogger(OrderedShutdown.class).warn("shutdown: not every run could be marked in time: {}", e.toString());
        }
        closers.forEach(Runnable::run);
    }

    private static CompletableFuture<Void> quietly(Runnable action) {
        return CompletableFuture.runAsync(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(OrderedShutdown.class).warn("shutdown: {}", e.getMessage());
            }
        });
    }
}

package org.backproplab.core.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.backproplab.core.tracking.JournalSync;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.LocalMlflowServer;
import org.backproplab.core.tracking.MlflowServer;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.tracking.TrackingTarget;
import org.backproplab.core.tracking.TrackingTimeouts;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab sync}: sends what runs logged but MLflow never received (the server was down or stalled when their
 * command ended, or the command was killed), from the runs' journals; to their own server, or to another one.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Send to MLflow what runs logged but the server never received (kept in .lab/journal).")
final class SyncCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "RUN_ID", description = "the runs to send (default: list what is pending)")
    List<String> runIds = new ArrayList<>();

    @Option(names = "--all", description = "send every pending run")
    boolean all;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "send to this MLflow server instead of the run's own; each run becomes a new run there")
    String trackingUri;

    @Option(names = "--flush-timeout", paramLabel = "SECONDS",
            description = "wait at most this long per server (default: $LAB_MLFLOW_FLUSH_TIMEOUT, else 60)")
    Double flushTimeout;

    @Override
    public Integer call() {
        if (all && !runIds.isEmpty()) {
            throw new UserFacingException("give run ids or --all, not both");
        }
        List<JournalSync.Pending> pending = JournalSync.pending();
        if (!all && runIds.isEmpty()) {
            if (pending.isEmpty()) {
                System.out.println("Nothing to send: no run has records MLflow lacks (" + JournalSync.folder() + ").");
            } else {
                System.out.println(pending.size() + " run(s) have records MLflow has not received:");
                pending.forEach(journal -> System.out.println("  " + journal.runId() + "  for "
                        + TrackingTarget.redact(journal.trackingUri()) + "  (" + journal.directory() + ")"));
                System.out.println("Send them with ./lab sync --all, or ./lab sync RUN_ID...");
            }
            return 0;
        }
        List<JournalSync.Pending> chosen = new ArrayList<>();
        for (JournalSync.Pending journal : pending) {
            if (all || runIds.contains(journal.runId())) {
                chosen.add(journal);
            }
        }
        for (String runId : runIds) {
            if (chosen.stream().noneMatch(journal -> journal.runId().equals(runId))) {
                System.out.println("Run " + runId + ": nothing to send (no journal in " + JournalSync.folder()
                        + "; everything it logged reached its server).");
            }
        }
        Map<String, List<JournalSync.Pending>> byTarget = new LinkedHashMap<>();
        String explicit = trackingUri == null ? null : TrackingTarget.resolveTrackingUri(trackingUri, Map.of(), null);
        for (JournalSync.Pending journal : chosen) {
            byTarget.computeIfAbsent(explicit != null ? explicit : journal.target(), key -> new ArrayList<>()).add(journal);
        }
        boolean complete = true;
        Map<String, String> mappedRuns = new HashMap<>();
        for (List<JournalSync.Pending> journals : byTarget.values()) {
            complete &= syncTo(journals, explicit, mappedRuns);
        }
        return complete ? 0 : LabCommand.EXIT_TRACKING_UNAVAILABLE;
    }

    /** Sends {@code journals}, which share a target server; whether all of them are complete now. */
    private boolean syncTo(List<JournalSync.Pending> journals, String explicit, Map<String, String> mappedRuns) {
        JournalSync.Pending first = journals.get(0);
        Path store = explicit == null ? first.localStore().orElse(null) : null;
        try {
            String uri = explicit != null ? explicit : first.trackingUri();
            if (store != null) {
                // Runs logged to the local store go to the project's lasting local server, started if need be.
                uri = LocalMlflowServer.ofProject(store.getParent().getParent()).ensureRunning(MlflowServer.defaultExecutable(),
                        LocalMlflowServer.portChoice(null, System.getenv(), System::getProperty), System.out::println).uri();
            }
            try (MlflowTracker tracker = MlflowTracker.connect(uri, MlflowCredentials.fromEnvironment(System.getenv()),
                    timeouts())) {
                if (store != null) {
                    tracker.servingLocalStore(store);
                }
                boolean complete = true;
                for (JournalSync.Pending journal : journals) {
                    complete &= syncOne(journal, tracker, mappedRuns);
                }
                return complete;
            }
        } catch (TrackingException e) {
            System.err.println("error: " + e.getMessage());
            journals.forEach(journal -> System.err.println("  run " + journal.runId() + " stays in " + journal.directory()));
            return false;
        }
    }

    private static boolean syncOne(JournalSync.Pending journal, MlflowTracker tracker, Map<String, String> mappedRuns) {
        try {
            JournalSync.Outcome outcome = JournalSync.sync(journal, tracker, mappedRuns);
            String where = outcome.created() ? " as new run " + outcome.targetRunId() + " on " + tracker.trackingUri()
                    : outcome.targetRunId().equals(journal.runId()) ? "" : " to run " + outcome.targetRunId();
            if (outcome.backlog().isEmpty()) {
                System.out.println("Run " + journal.runId() + ": sent " + outcome.sent() + " record(s)" + where
                        + "; complete.");
                return true;
            }
            System.out.println("Run " + journal.runId() + ": sent " + outcome.sent() + " record(s)" + where + ".");
            System.err.println("warning: " + outcome.backlog().get().describe());
            return false;
        } catch (TrackingException e) {
            System.err.println("error: run " + journal.runId() + ": " + e.getMessage());
            return false;
        }
    }

    private TrackingTimeouts timeouts() {
        return timeouts(flushTimeout);
    }

    /** The configured timeouts, with {@code --flush-timeout} if given. */
    static TrackingTimeouts timeouts(Double flushTimeout) {
        TrackingTimeouts timeouts = TrackingTimeouts.current();
        if (flushTimeout == null) {
            return timeouts;
        }
        if (flushTimeout < 0 || flushTimeout.isNaN()) {
            throw new UserFacingException("--flush-timeout must be 0 or more seconds, got " + flushTimeout);
        }
        return timeouts.withFlush(Duration.ofMillis(Math.round(flushTimeout * 1000)));
    }
}

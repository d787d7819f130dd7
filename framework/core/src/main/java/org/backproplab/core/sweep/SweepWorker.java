package org.backproplab.core.sweep;

import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.run.ExperimentRunner;
import org.backproplab.core.run.RunPlacement;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingException;
import org.backproplab.core.training.ExperimentTrainer;
import org.backproplab.core.training.UserFacingException;
import org.backproplab.spi.Callback;
import org.slf4j.LoggerFactory;

/**
 * The worker side of {@code --workers}: a process started by {@link WorkerPool} that trains the trials it is sent
 * on its standard input, one after another, under the sweep's parent run. It plans the sweep again from the same
 * file and overrides (expansion is deterministic) and checks that each trial it is sent is still the trial the
 * sweep meant. For each trial it prints the run's id as soon as the run exists, so that the sweep can end the run
 * should this process die, and a line when the run has ended. The end of its input ends it: between trials, the
 * sweep has no more; during one, the sweep is gone (killed), and a worker must not train on alone.
 */
public final class SweepWorker {

    /** The exit status of a worker whose sweep went away: as if stopped by SIGTERM. */
    private static final int ORPHANED_EXIT = 143;
    private static final String END = "\u0000end";

    private final SweepPlanner planner;
    private final ExperimentRunner runner;
    private final ExperimentTrainer trainer;
    /** Plans by file and overrides, for {@link #runTrial}: a host trains many trials of one sweep. */
    private final Map<String, SweepPlan> plans = new HashMap<>();

    @Inject
    public SweepWorker(SweepPlanner planner, ExperimentRunner runner, ExperimentTrainer trainer) {
        this.planner = planner;
        this.runner = runner;
        this.trainer = trainer;
    }

    /**
     * Trains the trials named on {@code commands} until it ends.
     *
     * @param engineThreads the PyTorch threads in force for a trial's {@code training.threads} (0 when unset)
     * @return 0 when the input ended between trials
     * @throws UserFacingException if the file has no such trial, or it no longer has the configuration the sweep
     *     expects (the file changed since the sweep started)
     */
    public int serve(Path file, List<String> overrides, MlflowTracker tracker, IntUnaryOperator engineThreads,
            InputStream commands, PrintStream out) throws ConfigException {
        SweepPlan plan = planOf(file, overrides);
        AtomicBoolean training = new AtomicBoolean();
        BlockingQueue<String> lines = readInBackground(commands, training);
        warmUp(plan, engineThreads);
        while (true) {
            String line = take(lines);
            if (line.equals(END)) {
                return 0;
            }
            WorkerLaunch.TrialCommand command = commandOf(plan, line);
            Trial trial = trialOf(plan, file, command);
            List<Callback> callbacks = plan.definition().pruner() == null ? List.of()
                    : List.of(new PruningCallback(plan.objective().metric(), (step, value) -> askPruner(lines, out, step, value)));
            training.set(true);
            String status;
            try {
                status = train(plan, trial, command.parentRunId(), tracker, engineThreads, out, Map.of(), callbacks, runId -> {
                    out.println(WorkerLaunch.RUN_ID_MARKER + runId);
                    out.flush();
                });
            } finally {
                training.set(false);
            }
            out.println(WorkerLaunch.TRIAL_DONE_MARKER + " " + status);
            out.flush();
        }
    }

    /**
     * Before the first trial arrives (a worker starts while the sweep still checks its trials): PyTorch started and
     * the first trial's dataset loaded into the process's cache, as that trial's own start would do them. Skipped
     * when {@code training.threads} is swept, since the first trial a worker gets fixes its thread count. A failure
     * here is the trial's to report, when it makes its components again.
     */
    private void warmUp(SweepPlan plan, IntUnaryOperator engineThreads) {
        if (plan.definition().parameters().stream().anyMatch(parameter -> parameter.path().startsWith("training.threads"))) {
            return;
        }
        threads(plan.first(), engineThreads);
        try {
            trainer.prepare(plan.first().experiment());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(SweepWorker.class).debug("Warming up for {} failed: {}", plan.name(), e.toString());
        }
    }

    /** Reports the objective to the sweep, which answers on this worker's input: why to stop, or {@code null}. */
    private static String askPruner(BlockingQueue<String> lines, PrintStream out, long step, double value) {
        out.println(WorkerLaunch.report(step, value));
        out.flush();
        String answer = take(lines);
        return WorkerLaunch.pruningReason(answer);
    }

    /**
     * Trains trial {@code index} of the sweep in {@code file} under its parent run, as a worker process trains
     * it: the path of a trial on another machine (a Spark executor). The plan is made once per file and
     * overrides, and kept for the later trials this object trains. A pruned sweep's trial reports its objective
     * at each evaluation to the sweep's pruner over {@code pruning}.
     *
     * @param values the trial's swept values as JSON, as a worker's trial command carries them (a TPE trial
     *     exists only once proposed)
     * @param pruning where the sweep's pruner answers, or {@code null} when it prunes nothing
     * @param hostTags tags that say where the trial ran, added to the trial's run
     * @return the run's id; its status and outcome are in MLflow
     * @throws UserFacingException if the trial cannot start (nothing was logged), or the file has no such trial
     * @throws TrackingException if MLflow cannot be reached
     */
    public String runTrial(Path file, List<String> overrides, int index, String trialId, String values,
            String parentRunId, MlflowTracker tracker, IntUnaryOperator engineThreads, PrintStream out,
            PruningLine.Address pruning, Map<String, String> hostTags) throws ConfigException {
        SweepPlan plan;
        synchronized (plans) {
            String key = file.toAbsolutePath() + "\n" + String.join("\n", overrides);
            plan = plans.get(key);
            if (plan == null) {
                plan = planOf(file, overrides);
                plans.put(key, plan);
            }
        }
        Map<String, Object> swept;
        try {
            swept = TrialJson.values(values);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("trial " + index + " of " + file + ": " + e.getMessage());
        }
        Trial trial = trialOf(plan, file, new WorkerLaunch.TrialCommand(index, trialId, parentRunId, swept));
        AtomicReference<String> runId = new AtomicReference<>();
        if (pruning == null || plan.definition().pruner() == null) {
            train(plan, trial, parentRunId, tracker, engineThreads, out, hostTags, List.of(), runId::set);
            return runId.get();
        }
        try (PruningLine.Reporter reporter = PruningLine.reporter(pruning, trial.index())) {
            train(plan, trial, parentRunId, tracker, engineThreads, out, hostTags,
                    List.of(new PruningCallback(plan.objective().metric(), reporter)), runId::set);
        }
        return runId.get();
    }

    private SweepPlan planOf(Path file, List<String> overrides) throws ConfigException {
        Optional<SweepPlan> found = planner.plan(file, overrides);
        if (found.isEmpty()) {
            throw new UserFacingException(file + " has no sweep: section, so a worker has nothing to run");
        }
        return found.get();
    }

    /**
     * Trains one trial; a failed run (ended FAILED by the runner) is reported on {@code out}, not thrown.
     *
     * @return the run's status, e.g. {@code FINISHED}
     */
    private String train(SweepPlan plan, Trial trial, String parentRunId, MlflowTracker tracker,
            IntUnaryOperator engineThreads, PrintStream out, Map<String, String> hostTags, List<Callback> callbacks,
            Consumer<String> onRunStarted) {
        int threads = threads(trial, engineThreads);
        Map<String, String> tags = new LinkedHashMap<>(SweepTags.ofTrial(plan, trial));
        tags.putAll(hostTags);
        RunPlacement placement = new RunPlacement(parentRunId, SweepTags.runName(plan, trial), tags, onRunStarted, callbacks);
        try {
            return runner.run(trial.experiment(), trial.overrides(), tracker, threads, out, placement).status().name();
        } catch (UserFacingException | TrackingException e) {
            throw e; // no component (nothing was logged; the sweep records the trial), or no MLflow
        } catch (RuntimeException e) {
            // The runner has ended the run FAILED with the error: on to the next trial.
            out.println("trial " + trial.index() + " failed: " + e);
            return "FAILED";
        }
    }

    /** The PyTorch threads in force for {@code trial}: its {@code training.threads}, once the first in this process. */
    private static int threads(Trial trial, IntUnaryOperator engineThreads) {
        Integer requested = trial.experiment().training().threads();
        return engineThreads.applyAsInt(requested == null ? 0 : requested);
    }

    private static WorkerLaunch.TrialCommand commandOf(SweepPlan plan, String line) {
        try {
            return WorkerLaunch.parseTrialCommand(line);
        } catch (IllegalArgumentException e) {
            String example = WorkerLaunch.trialCommand(plan.first(), "PARENT_RUN_ID").strip();
            throw new UserFacingException("a sweep worker expects '" + example + "'-like lines on its input, got '" + line + "'");
        }
    }

    private static Trial trialOf(SweepPlan plan, Path file, WorkerLaunch.TrialCommand command) {
        if (command.index() < 1 || command.index() > (plan.adaptive() ? SweepDefinition.MAX_TRIALS * 2 : plan.trials().size())) {
            throw new UserFacingException(file + " has " + plan.size() + " trials, not a trial " + command.index());
        }
        Trial trial;
        try {
            // The same values make the same configuration: its id tells whether the file still means this trial.
            trial = plan.maker().make(command.index(), command.values());
        } catch (ConfigException e) {
            throw new UserFacingException("trial " + command.index() + " of " + file + " no longer loads: "
                    + e.getMessage());
        }
        if (!trial.trialId().equals(command.trialId())) {
            throw new UserFacingException("trial " + command.index() + " of " + file + " is no longer the trial the"
                    + " sweep started (its configuration changed: id " + trial.trialId() + ", expected "
                    + command.trialId() + ")");
        }
        return trial;
    }

    /**
     * The lines of {@code commands}, then {@link #END}. If the input ends while a trial trains, the sweep is gone:
     * exit, which marks the run KILLED through the shutdown hooks.
     */
    private static BlockingQueue<String> readInBackground(InputStream commands, AtomicBoolean training) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader input = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8))) {
                String line;
                while ((line = input.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // a broken pipe is an end too
            }
            if (training.get()) {
                System.err.println("lab: the sweep that started this worker is gone; stopping");
                System.exit(ORPHANED_EXIT);
            }
            lines.add(END);
        }, "lab-sweep-commands");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String take(BlockingQueue<String> lines) {
        try {
            return lines.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return END;
        }
    }
}

package org.backproplab.core.sweep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.backproplab.core.config.ConfigException;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.config.SweepDefinition.Objective;
import org.backproplab.core.search.AshaPruner;
import org.backproplab.core.search.MedianPruner;
import org.backproplab.core.search.Observation;
import org.backproplab.core.search.Pruner;
import org.backproplab.core.search.TpeSampler;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunStatus;
import org.backproplab.core.training.UserFacingException;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;

/**
 * Hands a sweep's trials, one at a time, to whatever runs them ({@link TrialExecutor}), and hears how they went:
 * the trials of a grid or random search in order, or for TPE a trial proposed from every result so far each time
 * one is asked for (running trials counting as bad ones, so that parallel trials spread out). It also holds the
 * sweep's pruner: trials report their objective at every evaluation, and a pruned trial's run is tagged
 * {@link SweepTags#PRUNED}. A resumed sweep tells the sampler and the pruner the trials that finished before.
 * Thread-safe: parallel executors' lanes share it.
 */
final class TrialFeed {

    /** A trial to run now, and the number a progress display shows it as. */
    record Slot(Trial trial, int position) {}

    private record Pruned(long step, String reason) {}

    /** Draws per trial before TPE gives up proposing a configuration not tried yet in this sweep. */
    private static final int REPEAT_DRAWS = 20;

    private final SweepPlan plan;
    private final SweepParent parent;
    private final SweepControl control;
    private final MlflowTracker tracker;
    private final Pruner pruner;
    private final Map<Integer, Pruned> pruned = new ConcurrentHashMap<>();
    private final int finishedBefore;

    // A grid or random search: the trials left, in order.
    private final List<Trial> listed;
    private final Deque<Trial> queue;

    // TPE: the sampler, what it knows, and the budget.
    private final TpeSampler sampler;
    private final List<Observation> history = new ArrayList<>();
    private final Map<Integer, Map<String, Double>> running = new LinkedHashMap<>();
    private final Set<String> triedIds = new HashSet<>();
    private final int budget;
    private int proposed;
    private int nextIndex;

    TrialFeed(SweepPlan plan, SweepParent parent, SweepControl control, MlflowTracker tracker, boolean resume) {
        this.plan = plan;
        this.parent = parent;
        this.control = control;
        this.tracker = tracker;
        this.pruner = pruner(plan.definition());
        Map<Integer, Run> earlier = resume ? parent.latestAttempts() : Map.of();
        List<Trial> finished = resume ? parent.finishedTrials() : List.of();
        this.finishedBefore = finished.size();
        replayPruner(earlier, finished);
        if (plan.adaptive()) {
            this.sampler = new TpeSampler(SearchSpaces.of(plan.definition()), plan.definition().startupTrials(),
                    plan.definition().seed());
            this.listed = List.of();
            this.queue = new ArrayDeque<>();
            for (Trial trial : finished) {
                Run run = earlier.get(trial.index());
                if (run != null && run.getInfo().getStatus() == Service.RunStatus.FINISHED) {
                    observe(trial, run);
                }
            }
            parent.knownTrials().forEach(trial -> triedIds.add(trial.trialId()));
            this.nextIndex = parent.knownTrials().stream().mapToInt(Trial::index).max().orElse(0) + 1;
            this.budget = Math.max(0, plan.definition().trials() - finished.size());
        } else {
            this.sampler = null;
            this.listed = plan.trials().stream().filter(trial -> !finished.contains(trial)).toList();
            this.queue = new ArrayDeque<>(listed);
            this.budget = listed.size();
        }
    }

    private static Pruner pruner(SweepDefinition definition) {
        SweepDefinition.PrunerSettings settings = definition.pruner();
        if (settings == null) {
            return null;
        }
        boolean maximize = Objective.MAX.equals(definition.objective().mode());
        return switch (settings.type()) {
            case MEDIAN -> new MedianPruner(settings.startupTrials(), settings.warmupSteps(), settings.intervalSteps(), maximize);
            case ASHA -> new AshaPruner(settings.minSteps(), settings.reductionFactor(), settings.maxSteps(), maximize);
        };
    }

    /** The pruner learns the curves of the trials that finished before, as if it had watched them. */
    private void replayPruner(Map<Integer, Run> earlier, List<Trial> finished) {
        if (pruner == null) {
            return;
        }
        for (Trial trial : finished) {
            Run run = earlier.get(trial.index());
            if (run == null || run.getInfo().getStatus() != Service.RunStatus.FINISHED) {
                continue;
            }
            tracker.metricHistory(run.getInfo().getRunId(), plan.objective().metric())
                    .forEach(point -> pruner.report(trial.index(), point.getStep(), point.getValue()));
            if (SweepTags.of(run, SweepTags.PRUNED) == null) {
                pruner.completed(trial.index());
            }
        }
    }

    /** Trials that finished in an earlier run of the sweep. */
    int finishedBefore() {
        return finishedBefore;
    }

    /** How many trials this run of the sweep is to run. */
    int toRun() {
        return budget;
    }

    /** Whether trials report their objective for pruning. */
    boolean prunes() {
        return pruner != null;
    }

    /** The next trial to run; empty when there are no more or the sweep is stopping. */
    synchronized Optional<Slot> next() {
        while (!control.stopping()) {
            if (sampler == null) {
                Trial trial = queue.poll();
                if (trial == null) {
                    return Optional.empty();
                }
                if (parent.hasFinished(trial)) {
                    continue; // finished meanwhile by a concurrent run of this sweep: never train it twice
                }
                return Optional.of(new Slot(trial, listed.indexOf(trial) + 1));
            }
            if (proposed >= budget) {
                return Optional.empty();
            }
            proposed++;
            Trial trial = propose(nextIndex++);
            running.put(trial.index(), SearchSpaces.internal(plan.definition(), trial.values()));
            return Optional.of(new Slot(trial, proposed));
        }
        return Optional.empty();
    }

    /** TPE's proposal for trial {@code index}, given every trial so far, the running ones as liars. */
    private Trial propose(int index) {
        List<Observation> known = new ArrayList<>(history);
        running.forEach((number, params) -> known.add(Observation.running(number, params)));
        Trial trial = null;
        for (int attempt = 0; attempt < REPEAT_DRAWS; attempt++) {
            Map<String, Object> values = SearchSpaces.external(plan.definition(), sampler.propose(index, attempt, known));
            try {
                trial = plan.maker().make(index, values);
            } catch (ConfigException e) {
                // The samples' bounds loaded, so this is a combination the checks did not foresee.
                throw new UserFacingException("TPE proposed trial " + index + " " + values + ", which does not load: "
                        + e.problems().stream().map(Object::toString).collect(Collectors.joining("; ")));
            }
            if (triedIds.add(trial.trialId())) {
                break; // not trained yet in this sweep; a repeat would train the same model twice
            }
        }
        parent.register(trial);
        return trial;
    }

    /**
     * Trial {@code trial}'s objective {@code value} at {@code step}.
     *
     * @return why the trial should stop now, or {@code null} to go on
     */
    String report(Trial trial, long step, double value) {
        if (pruner == null) {
            return null;
        }
        String reason = pruner.report(trial.index(), step, value);
        if (reason != null) {
            pruned.putIfAbsent(trial.index(), new Pruned(step, reason));
        }
        return reason;
    }

    /**
     * How {@code trial}'s attempt ended: a pruned run is tagged so, and the sampler and pruner learn the result.
     *
     * @return what a progress display says of it, e.g. {@code PRUNED at step 120: ...}
     */
    synchronized String ended(Trial trial, TrialEnd end) {
        running.remove(trial.index());
        Pruned stopped = end.status() == RunStatus.FINISHED ? pruned.get(trial.index()) : null;
        if (stopped != null && end.runId() != null) {
            parent.tagTrialRun(end.runId(), Map.of(SweepTags.PRUNED, MlflowText.tag("step " + stopped.step() + ": "
                    + stopped.reason()), SweepTags.PRUNED_STEP, Long.toString(stopped.step())));
        }
        if (end.status() == RunStatus.FINISHED && stopped == null && pruner != null) {
            pruner.completed(trial.index());
        }
        if (sampler != null && end.status() == RunStatus.FINISHED && end.runId() != null) {
            observe(trial, tracker.getRun(end.runId()));
        }
        return stopped != null ? "PRUNED at step " + stopped.step() + ": " + stopped.reason()
                : end.status() + ": " + end.message();
    }

    /** Tells the sampler a finished trial: complete with its objective, or pruned with where it stopped. */
    private void observe(Trial trial, Run run) {
        Map<String, Double> params = SearchSpaces.internal(plan.definition(), trial.values());
        Double value = null;
        for (Service.Metric metric : run.getData().getMetricsList()) {
            if (metric.getKey().equals(plan.objective().metric())) {
                value = metric.getValue();
            }
        }
        double minimised = value == null ? Double.NaN
                : Objective.MAX.equals(plan.objective().mode()) ? -value : value;
        Pruned stopped = pruned.get(trial.index());
        String prunedStep = SweepTags.of(run, SweepTags.PRUNED_STEP);
        if (stopped != null || prunedStep != null && prunedStep.matches("\\d{1,18}")) {
            long step = stopped != null ? stopped.step() : Long.parseLong(prunedStep);
            history.add(Observation.pruned(trial.index(), params, step, minimised));
        } else if (Double.isFinite(minimised)) {
            history.add(Observation.complete(trial.index(), params, minimised));
        }
        // A finished trial without a finite objective tells TPE nothing, as a failed one.
    }
}

package org.backproplab.core.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.report.MlflowReportSource;
import org.backproplab.core.run.ExperimentRunner;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;

/** The MLflow tags a sweep puts on its parent run and its trials, and how to read them back. */
final class SweepTags {

    /** Parent and trials: the sweep's identity, {@link SweepPlan#sweepId()}. */
    static final String SWEEP_ID = "lab.sweep.id";
    /** {@code parent} or {@code trial}. */
    static final String ROLE = "lab.sweep.role";
    static final String PARENT = "parent";
    static final String TRIAL = "trial";
    /** Parent: the experiment's name, to find an earlier run of a changed sweep. */
    static final String NAME = "lab.sweep.name";
    static final String DEFINITION_HASH = "lab.sweep.definition_hash";
    static final String CONFIGURATION_HASH = "lab.sweep.configuration_hash";
    static final String BEST_RUN_ID = "lab.sweep.best_run_id";
    static final String BEST_TRIAL = "lab.sweep.best_trial";
    static final String RESULT = "lab.sweep.result";
    /** Trial: a hash of its resolved configuration. */
    static final String TRIAL_ID = "lab.trial.id";
    static final String TRIAL_INDEX = MlflowReportSource.TRIAL_INDEX_TAG;
    /** Trial: its swept values as a JSON object, to rebuild it when an adaptive sweep resumes. */
    static final String TRIAL_VALUES = "lab.trial.values";
    /** Trial: why the pruner stopped it, with the step; its run is FINISHED, shown as PRUNED. */
    static final String PRUNED = MlflowReportSource.PRUNED_TAG;
    /** Trial: the optimizer step it was pruned at. */
    static final String PRUNED_STEP = "lab.pruned.step";
    /** Why a run failed, as {@code ./lab run} sets it. */
    static final String ERROR = "lab.error";
    static final String OUTCOME = "lab.outcome";
    /** Why a FINISHED run is still suspect, e.g. {@code loss grew 10^9x (...)}, as {@code ./lab run} sets it. */
    static final String WARNING = ExperimentRunner.WARNING_TAG;
    /** Where the parent keeps its definition, to show what changed when a resume is refused. */
    static final String DEFINITION_ARTIFACT_DIRECTORY = "sweep";
    static final String DEFINITION_ARTIFACT_FILE = "definition.yaml";

    private SweepTags() {}

    /** The tags of a trial's run, beside the provenance tags every run has. */
    static Map<String, String> ofTrial(SweepPlan plan, Trial trial) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SWEEP_ID, plan.sweepId());
        tags.put(ROLE, TRIAL);
        tags.put(TRIAL_ID, trial.trialId());
        tags.put(TRIAL_INDEX, Integer.toString(trial.index()));
        tags.put("mlflow.note.content", note(plan, trial));
        tags.put(TRIAL_VALUES, MlflowText.tag(TrialJson.write(trial.values())));
        return tags;
    }

    /**
     * The trial's run name in MLflow, short because the runs table cuts names: {@code d10 sigmoid xavier}. The short
     * names are chosen knowing every trial; an adaptive sweep's trials, proposed one by one, keep their full names.
     */
    static String runName(SweepPlan plan, Trial trial) {
        if (plan.adaptive()) {
            return trial.name();
        }
        List<String> paths = plan.definition().parameters().stream().map(SweepDefinition.Parameter::path).toList();
        return TrialNames.shortNames(plan.trials().stream().map(Trial::values).toList(), paths).get(trial.index() - 1);
    }

    /** The trial's description on its run page: its full values (also its params), then the experiment's text. */
    private static String note(SweepPlan plan, Trial trial) {
        StringBuilder note = new StringBuilder("**Trial ").append(trial.index()).append(" of ").append(plan.size())
                .append("** of sweep `").append(plan.name()).append("` (objective ").append(plan.objective().metric())
                .append(", ").append(plan.objective().mode()).append("):\n\n| swept parameter | value |\n|---|---|\n");
        trial.values().forEach((path, value) -> note.append("| `").append(path).append("` | ")
                .append(ValueText.label(value).replace("|", "\\|")).append(" |\n"));
        String description = trial.experiment().description();
        if (description != null && !description.isBlank()) {
            note.append('\n').append(description);
        }
        return MlflowText.tag(note.toString());
    }

    /** The value of tag {@code key} of a run, or {@code null}. */
    static String of(Run run, String key) {
        for (RunTag tag : run.getData().getTagsList()) {
            if (tag.getKey().equals(key)) {
                return tag.getValue();
            }
        }
        return null;
    }

    /** An MLflow search filter for runs whose tag {@code key} is {@code value}; backquotes because keys have dots. */
    static String filter(String key, String value) {
        if (!value.matches("[A-Za-z0-9_.\\-]*")) {
            throw new IllegalArgumentException("not a value for a search filter: " + value);
        }
        return "tags.`" + key + "` = '" + value + "'";
    }
}

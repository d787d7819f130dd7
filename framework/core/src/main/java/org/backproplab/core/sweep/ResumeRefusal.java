package org.backproplab.core.sweep;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingException;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;

/**
 * Explains why {@code --resume} will not continue the last run of a sweep: its definition or its configuration
 * differs from what the file and overrides give now, so its finished trials are not this sweep's trials.
 */
final class ResumeRefusal {

    private static final int SHOWN_DIFFERENCES = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private ResumeRefusal() {}

    static String explain(MlflowTracker tracker, SweepPlan plan, Run earlier) {
        String earlierId = earlier.getInfo().getRunId();
        StringBuilder text = new StringBuilder("cannot resume: the sweep of ").append(plan.fileName())
                .append(plan.overrides().isEmpty() ? "" : " with these --set overrides")
                .append(" is not the one last run as ").append(earlier.getInfo().getRunName())
                .append(" (run ").append(earlierId).append(", started ")
                .append(TIME.format(Instant.ofEpochMilli(earlier.getInfo().getStartTime()))).append("): ");
        List<String> differences;
        if (!plan.definitionHash().equals(SweepTags.of(earlier, SweepTags.DEFINITION_HASH))) {
            text.append("its sweep: or objective: section changed");
            differences = definitionDifferences(tracker, plan, earlierId);
        } else {
            text.append("the configuration outside sweep: changed (the file, or the --set overrides)");
            differences = configurationDifferences(tracker, plan, earlier);
        }
        if (!differences.isEmpty()) {
            text.append(':');
            differences.stream().limit(SHOWN_DIFFERENCES).forEach(line -> text.append(System.lineSeparator()).append("  ").append(line));
            if (differences.size() > SHOWN_DIFFERENCES) {
                text.append(System.lineSeparator()).append("  ... and ").append(differences.size() - SHOWN_DIFFERENCES).append(" more");
            }
        }
        return text.append(System.lineSeparator())
                .append("Run it without --resume to start a new sweep; the earlier one stays in MLflow.").toString();
    }

    /** Lines of the earlier definition missing now ({@code -}) and new ones ({@code +}). */
    private static List<String> definitionDifferences(MlflowTracker tracker, SweepPlan plan, String earlierId) {
        String before;
        try {
            before = new String(tracker.downloadArtifact(earlierId,
                    SweepTags.DEFINITION_ARTIFACT_DIRECTORY + "/" + SweepTags.DEFINITION_ARTIFACT_FILE), StandardCharsets.UTF_8);
        } catch (TrackingException e) {
            return List.of();
        }
        List<String> old = before.lines().toList();
        List<String> now = plan.definition().canonicalYaml().lines().toList();
        List<String> differences = new ArrayList<>();
        old.stream().filter(line -> !now.contains(line)).forEach(line -> differences.add("- " + line.strip()));
        now.stream().filter(line -> !old.contains(line)).forEach(line -> differences.add("+ " + line.strip()));
        return differences;
    }

    /** Parameters of the earlier run's first trial that differ from those of the first trial now. */
    private static List<String> configurationDifferences(MlflowTracker tracker, SweepPlan plan, Run earlier) {
        Trial first = plan.first();
        String filter = SweepTags.filter(MlflowTracker.PARENT_RUN_ID_TAG, earlier.getInfo().getRunId()) + " and "
                + SweepTags.filter(SweepTags.TRIAL_INDEX, "1");
        List<Run> earlierFirst = tracker.searchRuns(earlier.getInfo().getExperimentId(), filter);
        if (earlierFirst.isEmpty()) {
            return List.of();
        }
        Map<String, String> before = new TreeMap<>();
        for (Param param : earlierFirst.get(0).getData().getParamsList()) {
            before.put(param.getKey(), param.getValue());
        }
        Map<String, String> now = first.experiment().flattenedParameters();
        List<String> differences = new ArrayList<>();
        for (String key : new TreeSet<>(union(before.keySet(), now.keySet()))) {
            if (!Objects.equals(before.get(key), now.get(key))) {
                differences.add(key + ": " + Objects.requireNonNullElse(before.get(key), "(none)") + " -> "
                        + Objects.requireNonNullElse(now.get(key), "(none)"));
            }
        }
        return differences;
    }

    private static List<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

package org.backproplab.core.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.backproplab.core.config.SweepDefinition.Objective;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;

/**
 * The end-of-sweep table, read from MLflow so that it covers trials of earlier (resumed) runs too: one row per
 * trial (its latest attempt), best first by the objective, then the trials without a usable value. Rendered for
 * the console, as CSV and as Markdown.
 */
final class SweepSummary {

    /**
     * Metrics shown beside the objective when trials logged them: the losses, accuracy, and the first/last layer
     * gradient ratio as log10 at initialisation and at the end (-5: the input layer's gradient is 1e-5 of the output's).
     */
    private static final List<String> KEY_METRICS = List.of("train/loss", "eval/loss", "eval/accuracy",
            "summary/log10_grad_ratio_init", "summary/log10_grad_ratio_end");
    static final String NOT_RUN = "NOT RUN";
    /** A trial the pruner stopped: its run is FINISHED in MLflow, tagged {@link SweepTags#PRUNED}. */
    static final String PRUNED = "PRUNED";
    private static final int NOTE_WIDTH = 70;

    /**
     * One trial.
     *
     * @param status FINISHED, PRUNED, FAILED, KILLED, RUNNING, or {@link #NOT_RUN}
     * @param metrics the last value of each shown metric it logged
     * @param seconds how long its latest attempt ran; {@code null} if unknown
     * @param note why it failed, or that it stopped early
     */
    record Row(Trial trial, String status, Map<String, Double> metrics, Double seconds, String runId, String note) {

        Optional<Double> metric(String key) {
            return Optional.ofNullable(metrics.get(key));
        }
    }

    private final SweepPlan plan;
    private final List<Row> rows;
    private final List<String> metricColumns;

    private SweepSummary(SweepPlan plan, List<Row> rows, List<String> metricColumns) {
        this.plan = plan;
        this.rows = rows;
        this.metricColumns = metricColumns;
    }

    /** The summary of {@code plan}'s trials from the latest attempt at each, by trial index. */
    static SweepSummary of(SweepPlan plan, Map<Integer, Run> latestAttempts) {
        return of(plan, plan.trials(), latestAttempts);
    }

    /** The summary of {@code trials} (an adaptive sweep's: those it proposed) from the latest attempt at each. */
    static SweepSummary of(SweepPlan plan, List<Trial> trials, Map<Integer, Run> latestAttempts) {
        Objective objective = plan.objective();
        List<String> metricColumns = new ArrayList<>();
        metricColumns.add(objective.metric());
        List<Row> rows = new ArrayList<>();
        for (Trial trial : trials) {
            Run run = latestAttempts.get(trial.index());
            if (run == null) {
                rows.add(new Row(trial, NOT_RUN, Map.of(), null, "", ""));
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Metric metric : run.getData().getMetricsList()) {
                metrics.put(metric.getKey(), restored(metric.getValue()));
            }
            long end = run.getInfo().getEndTime();
            Double seconds = end > 0 ? (end - run.getInfo().getStartTime()) / 1000.0 : null;
            String status = run.getInfo().getStatus().name();
            if ("FINISHED".equals(status) && SweepTags.of(run, SweepTags.PRUNED) != null) {
                status = PRUNED;
            }
            rows.add(new Row(trial, status, metrics, seconds, run.getInfo().getRunId(), note(run, status)));
        }
        for (String key : KEY_METRICS) {
            if (!metricColumns.contains(key) && rows.stream().anyMatch(row -> row.metrics().containsKey(key))) {
                metricColumns.add(key);
            }
        }
        rows.sort(order(objective));
        return new SweepSummary(plan, List.copyOf(rows), List.copyOf(metricColumns));
    }

    /** Best first: finished trials with a finite objective value, then other finished ones, then the rest, by index. */
    private static Comparator<Row> order(Objective objective) {
        Comparator<Row> byGroup = Comparator.comparingInt(row -> group(row, objective));
        Comparator<Double> better = Objective.MAX.equals(objective.mode()) ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return byGroup
                .thenComparing(row -> group(row, objective) == 0 ? row.metric(objective.metric()).orElseThrow() : 0.0, better)
                .thenComparingInt(row -> row.trial().index());
    }

    private static int group(Row row, Objective objective) {
        if (!"FINISHED".equals(row.status())) {
            return 2;
        }
        return row.metric(objective.metric()).filter(Double::isFinite).isPresent() ? 0 : 1;
    }

    List<Row> rows() {
        return rows;
    }

    /** The best finished trial by the objective, if any finished with a value of it. */
    Optional<Row> best() {
        return rows.stream().filter(row -> group(row, plan.objective()) == 0).findFirst();
    }

    long count(String status) {
        return rows.stream().filter(row -> row.status().equals(status)).count();
    }

    /** E.g. "8 trials: 7 FINISHED, 1 FAILED". */
    String counts() {
        Map<String, Long> byStatus = rows.stream()
                .collect(Collectors.groupingBy(Row::status, LinkedHashMap::new, Collectors.counting()));
        return rows.size() + " trials: " + byStatus.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getValue() + " " + entry.getKey()).collect(Collectors.joining(", "));
    }

    /** Whether the objective metric was logged by no trial at all: most likely a misspelt metric. */
    boolean objectiveNeverLogged() {
        return rows.stream().noneMatch(row -> row.metrics().containsKey(plan.objective().metric()));
    }

    /** An aligned table for the console. */
    String table() {
        List<List<String>> cells = cells(true);
        int columns = cells.get(0).size();
        int[] widths = new int[columns];
        for (List<String> line : cells) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = line.get(i);
                row.append(i == 0 ? "" : "  ").append(i == columns - 1 ? cell : pad(cell, widths[i]));
            }
            text.append(row.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    String csv() {
        StringBuilder text = new StringBuilder();
        for (List<String> line : cells(false)) {
            text.append(line.stream().map(SweepSummary::csvField).collect(Collectors.joining(","))).append('\n');
        }
        return text.toString();
    }

    String markdown() {
        List<List<String>> cells = cells(false);
        StringBuilder text = new StringBuilder("# Sweep " + plan.name() + "\n\n")
                .append("Objective: ").append(plan.objective().metric()).append(" (").append(plan.objective().mode())
                .append("). ").append(counts()).append(".\n\n");
        for (int i = 0; i < cells.size(); i++) {
            text.append("| ").append(cells.get(i).stream().map(cell -> cell.replace("|", "\\|"))
                    .collect(Collectors.joining(" | "))).append(" |\n");
            if (i == 0) {
                text.append(cells.get(0).stream().map(cell -> "---").collect(Collectors.joining(" | ", "| ", " |\n")));
            }
        }
        return text.toString();
    }

    /** Header and rows: trial number, the varying values, status, metrics, seconds, run id, note. */
    private List<List<String>> cells(boolean forConsole) {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("#"));
        plan.varyingPaths().forEach(path -> header.add(TrialNames.key(path, plan.varyingPaths())));
        header.add("status");
        header.addAll(metricColumns);
        header.add("seconds");
        if (!forConsole) {
            header.add("run_id");
        }
        header.add("note");
        cells.add(header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>(List.of(Integer.toString(row.trial().index())));
            plan.varyingPaths().forEach(path -> line.add(row.trial().values().containsKey(path)
                    ? ValueText.label(row.trial().values().get(path)) : ""));
            line.add(row.status());
            metricColumns.forEach(key -> line.add(row.metric(key).map(SweepSummary::number).orElse("")));
            line.add(row.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", row.seconds()));
            if (!forConsole) {
                line.add(row.runId());
            }
            line.add(forConsole ? MlflowText.cut(row.note(), NOTE_WIDTH) : row.note());
            cells.add(line);
        }
        return cells;
    }

    private static String note(Run run, String status) {
        if (PRUNED.equals(status)) {
            return oneLine("pruned at " + SweepTags.of(run, SweepTags.PRUNED));
        }
        String error = SweepTags.of(run, SweepTags.ERROR);
        if (error != null && !"FINISHED".equals(status)) {
            return oneLine(error);
        }
        String outcome = SweepTags.of(run, SweepTags.OUTCOME);
        if (outcome != null && (!"FINISHED".equals(status) || outcome.startsWith("stopped early"))) {
            return oneLine(outcome.contains(";") ? outcome.substring(0, outcome.indexOf(';')) : outcome);
        }
        // FINISHED is not "fine": a run that survived an explosion says so here as on its own console.
        String warning = SweepTags.of(run, SweepTags.WARNING);
        return warning != null ? oneLine("warning: " + warning) : "";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /** MLflow's SQL store keeps ±Infinity as ±Double.MAX_VALUE. */
    private static double restored(double value) {
        if (value == Double.MAX_VALUE) {
            return Double.POSITIVE_INFINITY;
        }
        return value == -Double.MAX_VALUE ? Double.NEGATIVE_INFINITY : value;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}

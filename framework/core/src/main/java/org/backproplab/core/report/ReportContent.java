package org.backproplab.core.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes the report's text: every chart followed by a table of the numbers it was drawn from, then the
 * trials' final metrics, their ranking by the objective, and the parameters they share.
 */
final class ReportContent {

    private final ReportData data;
    private final VaryingParams varying;
    private final List<TrialData> trials;
    private final Map<String, ChartFile> charts;
    private final ReportDocument document = new ReportDocument();

    private ReportContent(ReportData data, List<ChartFile> charts) {
        this.data = data;
        this.varying = VaryingParams.of(data.trials());
        this.trials = data.trials().stream().sorted(VaryingParams.order(varying.keys())).toList();
        this.charts = charts.stream().collect(Collectors.toMap(ChartFile::fileName, chart -> chart));
    }

    static ReportDocument build(ReportData data, List<ChartFile> charts, List<RatioGrid> ratioGrids,
            Optional<LearningRateSweep> lrSweep) {
        ReportContent content = new ReportContent(data, charts);
        content.overview();
        for (GradientStage stage : GradientStage.values()) {
            content.gradientNorms(stage);
        }
        content.gradientRatios(ratioGrids);
        content.learningCurves();
        content.search();
        lrSweep.ifPresent(content::learningRates);
        content.ranking();
        content.trialList();
        return content.document;
    }

    private void overview() {
        document.heading(1, data.title());
        Map<String, Long> statuses = data.trials().stream()
                .collect(Collectors.groupingBy(TrialData::status, TreeMap::new, Collectors.counting()));
        document.paragraph(data.trials().size() + " trial(s): " + statuses.entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey()).collect(Collectors.joining(", ")) + ".");
        if (!varying.keys().isEmpty()) {
            document.paragraph("Varying parameters: " + String.join(", ", varying.keys()) + ".");
        }
        if (data.objectiveMetric() != null) {
            document.paragraph("Objective: " + Objective.of(data).describe() + ".");
        }
    }

    private void gradientNorms(GradientStage stage) {
        ChartFile chart = charts.get(stage.fileName());
        if (chart == null) {
            return;
        }
        document.heading(2, "Gradient norms " + stage.when());
        document.image(chart);
        document.paragraph("L2 norm of each layer's weight gradient at the trial's " + stage.stepDescription()
                + "; layer 1 is next to the input, the last layer is the output layer. first/last is layer 1's"
                + " norm divided by the last layer's: far below 1 means the gradient vanishes toward the input.");
        int layers = trials.stream().map(stage::profile).flatMap(Optional::stream)
                .mapToInt(GradientProfile::layerCount).max().orElse(0);
        ReportDocument.TableBuilder table = trialColumns(new ReportDocument.TableBuilder()).number("step");
        for (int layer = 1; layer <= layers; layer++) {
            table.number("layer " + layer);
        }
        table.number("first/last");
        for (TrialData trial : trials) {
            stage.profile(trial).ifPresent(profile -> {
                List<String> row = trialCells(trial);
                row.add(Long.toString(profile.step()));
                for (int layer = 1; layer <= layers; layer++) {
                    row.add(layer <= profile.layerCount() ? Numbers.format(profile.norm(layer)) : Numbers.NONE);
                }
                row.add(Numbers.format(profile.firstToLastRatio()));
                table.row(row);
            });
        }
        document.table(table);
    }

    private void gradientRatios(List<RatioGrid> grids) {
        if (grids.isEmpty()) {
            return;
        }
        document.heading(2, "First- to last-layer gradient ratio");
        document.paragraph("log10(first-layer / last-layer gradient norm) at initialisation, by depth and"
                + " activation: 0 means the input layer gets as much gradient as the output layer, -5 means"
                + " 100 000 times less. Trials sharing a cell are averaged.");
        for (RatioGrid grid : grids) {
            ChartFile chart = charts.get(GradientRatioHeatmap.fileName(grid));
            if (chart != null) {
                document.image(chart);
            }
            ReportDocument.TableBuilder table = new ReportDocument.TableBuilder()
                    .text(grid.init() == null ? "activation" : "activation (init " + grid.init() + ")");
            grid.depths().forEach(depth -> table.number("depth " + depth));
            for (int row = 0; row < grid.activations().size(); row++) {
                List<String> cells = new ArrayList<>(List.of(grid.activations().get(row)));
                for (int column = 0; column < grid.depths().size(); column++) {
                    double value = grid.cell(row, column);
                    cells.add(Double.isNaN(value) ? Numbers.NONE : Numbers.format(value));
                }
                table.row(cells);
            }
            document.table(table);
        }
    }

    /** The objective by trial with the best so far, and parameters against the objective; pruned trials marked. */
    private void search() {
        ChartFile history = charts.get(SearchCharts.HISTORY_FILE);
        if (history == null) {
            return;
        }
        Objective objective = Objective.of(data);
        document.heading(2, "Search");
        document.image(history);
        document.paragraph("Each trial's " + objective.metric() + " in the order the sweep ran them, and the best"
                + " finished value so far. A pruned trial's value is the last it reported before its pruner stopped it.");
        List<SearchCharts.Point> points = SearchCharts.points(data);
        List<Double> best = SearchCharts.bestSoFar(points, objective);
        ReportDocument.TableBuilder table = new ReportDocument.TableBuilder().number("trial").text("name").text("status")
                .number(objective.metric()).number("best so far");
        for (int i = 0; i < points.size(); i++) {
            SearchCharts.Point point = points.get(i);
            table.row(new ArrayList<>(List.of(Integer.toString(point.number()), point.trial().name(),
                    point.trial().status(), Numbers.format(point.value()), Numbers.formatOrNone(
                            Double.isNaN(best.get(i)) ? null : best.get(i)))));
        }
        document.table(table);
        ChartFile parallel = charts.get(SearchCharts.PARALLEL_FILE);
        if (parallel != null) {
            document.image(parallel);
            document.paragraph("Parallel coordinates: one line per trial through its value of each swept parameter to"
                    + " its " + objective.metric() + "; the best trial in red, pruned trials dashed grey.");
        }
    }

    private void learningCurves() {
        ChartFile chart = charts.get(LearningCurveChart.FILE_NAME);
        document.heading(2, "Learning curves and final metrics");
        if (chart != null) {
            document.image(chart);
        }
        List<String> metrics = new ArrayList<>();
        for (String metric : List.of(MetricKeys.TRAIN_LOSS, MetricKeys.EVAL_LOSS, MetricKeys.EVAL_ACCURACY,
                Objective.of(data).metric())) {
            if (!metrics.contains(metric) && trials.stream().anyMatch(trial -> trial.last(metric).isPresent())) {
                metrics.add(metric);
            }
        }
        document.paragraph("Each metric's value at its last logged step.");
        ReportDocument.TableBuilder table = trialColumns(new ReportDocument.TableBuilder())
                .text("status").number("last step");
        metrics.forEach(table::number);
        for (TrialData trial : trials) {
            List<String> row = trialCells(trial);
            row.add(trial.status());
            row.add(lastStep(trial).map(String::valueOf).orElse(Numbers.NONE));
            metrics.forEach(metric -> row.add(trial.last(metric)
                    .map(point -> Numbers.format(point.value())).orElse(Numbers.NONE)));
            table.row(row);
        }
        document.table(table);
    }

    private void learningRates(LearningRateSweep sweep) {
        document.heading(2, "Learning rate");
        ChartFile chart = charts.get(LearningRateChart.fileName(sweep));
        if (chart != null) {
            document.image(chart);
        }
        String metric = sweep.objective().metric();
        document.paragraph("Final " + metric + " of each trial by learning rate" + (sweep.objective().stated()
                ? "." : " (no objective was given: the training loss)."));
        List<Double> rates = sweep.learningRates();
        ReportDocument.TableBuilder table = new ReportDocument.TableBuilder().text("group");
        rates.forEach(rate -> table.number("lr " + BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString()));
        for (LearningRateSweep.Line line : sweep.lines()) {
            List<String> row = new ArrayList<>(List.of(line.label()));
            for (double rate : rates) {
                row.add(line.points().stream().filter(point -> point.learningRate() == rate).findFirst()
                        .map(point -> Numbers.format(point.value())).orElse(Numbers.NONE));
            }
            table.row(row);
        }
        document.table(table);
        if (!sweep.missing().isEmpty()) {
            document.paragraph("Trials without a point (shown as gaps):");
            document.bullets(sweep.missing().stream().map(missing -> missing.trial().name() + " (lr "
                    + missing.learningRate() + "): " + missing.reason()).toList());
        }
    }

    private void ranking() {
        Objective objective = Objective.of(data);
        if (trials.stream().noneMatch(trial -> trial.last(objective.metric()).isPresent())) {
            return;
        }
        document.heading(2, "Trials ranked by " + objective.describe());
        if (!objective.stated()) {
            document.paragraph("No objective was given: trials are ranked by their final training loss.");
        }
        List<TrialData> ranked = trials.stream().filter(trial -> objective.finalValue(trial).isPresent())
                .sorted(Comparator.comparing(trial -> objective.finalValue(trial).orElseThrow(),
                        objective.betterFirst()))
                .toList();
        ReportDocument.TableBuilder table = new ReportDocument.TableBuilder().number("rank");
        trialColumns(table).text("status").number(objective.metric());
        int rank = 0;
        for (TrialData trial : ranked) {
            table.row(rankRow(Integer.toString(++rank), trial, objective));
        }
        // Failed, diverged or silent trials last, unranked: their last value is no result.
        trials.stream().filter(trial -> !ranked.contains(trial))
                .forEach(trial -> table.row(rankRow(Numbers.NONE, trial, objective)));
        document.table(table);
    }

    private List<String> rankRow(String rank, TrialData trial, Objective objective) {
        List<String> row = new ArrayList<>(List.of(rank));
        row.addAll(trialCells(trial));
        row.add(trial.status());
        row.add(trial.last(objective.metric()).map(point -> Numbers.format(point.value())).orElse(Numbers.NONE));
        return row;
    }

    private void trialList() {
        document.heading(2, "Trials");
        ReportDocument.TableBuilder table = trialColumns(new ReportDocument.TableBuilder())
                .text("run id").text("status");
        for (TrialData trial : trials) {
            List<String> row = trialCells(trial);
            row.add(trial.runId());
            row.add(trial.status());
            table.row(row);
        }
        document.table(table);
        if (!varying.fixed().isEmpty()) {
            document.paragraph("Parameters shared by every trial:");
            document.bullets(varying.fixed().entrySet().stream()
                    .map(entry -> entry.getKey() + " = " + (entry.getValue() == null ? Numbers.NONE : entry.getValue()))
                    .toList());
        }
    }

    /** The run name and one column per varying parameter. */
    private ReportDocument.TableBuilder trialColumns(ReportDocument.TableBuilder table) {
        table.text("run");
        varying.keys().forEach(key -> table.text(VaryingParams.shortName(key)));
        return table;
    }

    private List<String> trialCells(TrialData trial) {
        List<String> cells = new ArrayList<>(List.of(trial.name()));
        cells.addAll(VaryingParams.values(trial, varying.keys()));
        return cells;
    }

    private static Optional<Long> lastStep(TrialData trial) {
        return trial.metrics().values().stream().flatMap(List::stream).map(MetricPoint::step)
                .max(Comparator.naturalOrder());
    }
}

package org.backproplab.core.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training loss (and evaluation accuracy where logged) against step, one line per trial. Lines are coloured and
 * dashed by activation/init like the gradient charts; when depth varies, deeper networks are drawn darker, so
 * that thirty lines still read as six families.
 */
final class LearningCurveChart {

    static final String FILE_NAME = "learning-curves.png";

    private static final int PANEL_WIDTH = 900;
    private static final int PANEL_HEIGHT = 620;
    private static final int SINGLE_PANEL_WIDTH = 1200;
    private static final int SINGLE_PANEL_HEIGHT = 720;
    /** The shallowest network's line is this much lighter than the deepest one's. */
    private static final double LIGHTEST_SHADE = 0.6;

    private LearningCurveChart() {}

    static Optional<ChartFile> draw(ReportData data) {
        VaryingParams varying = VaryingParams.of(data.trials());
        boolean shadeByDepth = varying.varies(MetricKeys.DEPTH);
        List<String> styleKeys = shadeByDepth ? varying.keysExcept(List.of(MetricKeys.DEPTH)) : varying.keys();
        List<TrialData> trials = data.trials().stream().sorted(VaryingParams.order(varying.keys())).toList();
        Map<List<String>, SeriesStyle> styles = SeriesStyles.assign(
                trials.stream().map(trial -> VaryingParams.values(trial, styleKeys)).toList());
        List<String> depths = trials.stream().map(trial -> trial.param(MetricKeys.DEPTH)).distinct()
                .sorted(VaryingParams.ParamValueOrder.INSTANCE).toList();

        List<String> metrics = Stream.of(MetricKeys.TRAIN_LOSS, MetricKeys.EVAL_ACCURACY)
                .filter(metric -> trials.stream().anyMatch(trial -> hasFinite(trial, metric))).toList();
        boolean single = metrics.size() == 1;
        List<XYChart> panels = new ArrayList<>();
        for (String metric : metrics) {
            XYChart chart = ChartStyle.lineChart(single ? SINGLE_PANEL_WIDTH : PANEL_WIDTH,
                    single ? SINGLE_PANEL_HEIGHT : PANEL_HEIGHT, metric, "step", metric);
            boolean logY = LogRange.spansMoreThan(trials.stream()
                    .flatMap(trial -> trial.history(metric).stream()).mapToDouble(MetricPoint::value), 2);
            chart.getStyler().setYAxisLogarithmic(logY).setYAxisLogarithmicDecadeOnly(true);
            for (TrialData trial : trials) {
                SeriesStyle style = styles.get(VaryingParams.values(trial, styleKeys));
                if (shadeByDepth) {
                    double rank = depths.size() < 2 ? 1 : depths.indexOf(trial.param(MetricKeys.DEPTH))
                            / (double) (depths.size() - 1);
                    style = style.lighter(LIGHTEST_SHADE * (1 - rank));
                }
                addSeries(chart, trial, metric, logY, VaryingParams.describe(trial, varying.keys()), style);
            }
            if (!chart.getSeriesMap().isEmpty()) {
                panels.add(chart);
            }
        }
        if (panels.isEmpty()) {
            return Optional.empty();
        }
        List<Figure.LegendEntry> legend = new ArrayList<>();
        if (!styleKeys.isEmpty()) {
            styles.forEach((values, style) -> legend.add(new Figure.LegendEntry(
                    String.join(" / ", VaryingParams.describeAll(styleKeys, values)), lineOnly(style))));
        }
        String subtitle = shadeByDepth
                ? "One line per trial; darker lines are deeper networks (depth " + String.join(", ", depths) + ")"
                : "One line per trial";
        BufferedImage image = new Figure("Learning curves", subtitle, legend, panels, 2).draw();
        return Optional.of(new ChartFile(FILE_NAME, "Learning curves", image));
    }

    private static void addSeries(XYChart chart, TrialData trial, String metric, boolean logY, String label,
            SeriesStyle style) {
        List<Long> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (MetricPoint point : trial.history(metric)) {
            if (logY ? LogRange.plottable(point.value()) : Double.isFinite(point.value())) {
                steps.add(point.step());
                values.add(point.value());
            }
        }
        if (steps.isEmpty()) {
            return;
        }
        // Series names must be unique; trials with equal parameters are told apart by run name.
        String name = chart.getSeriesMap().containsKey(label) ? label + " (" + trial.name() + ")" : label;
        XYSeries series = chart.addSeries(name, steps, values);
        lineOnly(style).applyTo(series);
    }

    private static boolean hasFinite(TrialData trial, String metric) {
        return trial.history(metric).stream().anyMatch(point -> Double.isFinite(point.value()));
    }

    /** Hundreds of points per line: markers would only smudge it. */
    private static SeriesStyle lineOnly(SeriesStyle style) {
        return new SeriesStyle(style.color(), style.stroke(), SeriesMarkers.NONE);
    }
}

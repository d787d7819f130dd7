package org.backproplab.core.report;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * Gradient norm per layer, log scale, one panel per depth and one line per activation/init combination (or
 * whatever else tells the trials apart): vanishing gradients show as lines falling toward layer 1.
 */
final class GradientNormChart {

    private static final Dimension SMALL_PANEL = new Dimension(600, 440);
    private static final Dimension MEDIUM_PANEL = new Dimension(800, 560);
    private static final Dimension LARGE_PANEL = new Dimension(1200, 720);

    private GradientNormChart() {}

    static Optional<ChartFile> draw(ReportData data, GradientStage stage) {
        VaryingParams varying = VaryingParams.of(data.trials());
        boolean panelPerDepth = varying.varies(MetricKeys.DEPTH);
        List<String> seriesKeys = varying.keysExcept(List.of(MetricKeys.DEPTH));

        List<Line> lines = data.trials().stream().sorted(VaryingParams.order(seriesKeys))
                .flatMap(trial -> stage.profile(trial).map(profile -> new Line(trial, profile)).stream())
                .toList();
        Optional<LogRange> range = LogRange.of(lines.stream()
                .flatMapToDouble(line -> line.profile().norms().stream().mapToDouble(Double::doubleValue)));
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Map<List<String>, SeriesStyle> styles = SeriesStyles.assign(
                lines.stream().map(line -> VaryingParams.values(line.trial(), seriesKeys)).toList());
        Map<String, List<Line>> byPanel = new TreeMap<>(VaryingParams.ParamValueOrder.INSTANCE);
        for (Line line : lines) {
            String panel = panelPerDepth ? String.valueOf(line.trial().param(MetricKeys.DEPTH)) : "";
            byPanel.computeIfAbsent(panel, key -> new ArrayList<>()).add(line);
        }

        Dimension panelSize = panelSize(byPanel.size());
        List<XYChart> panels = new ArrayList<>();
        byPanel.forEach((depth, panelLines) -> {
            XYChart chart = panel(panelPerDepth ? "depth " + depth : "all trials", panelSize, range.get());
            for (Line line : panelLines) {
                addSeries(chart, line, seriesKeys, styles.get(VaryingParams.values(line.trial(), seriesKeys)));
            }
            if (!chart.getSeriesMap().isEmpty()) {
                panels.add(chart);
            }
        });
        if (panels.isEmpty()) {
            return Optional.empty();
        }
        List<Figure.LegendEntry> legend = new ArrayList<>();
        if (!seriesKeys.isEmpty()) {
            styles.forEach((values, style) -> legend.add(new Figure.LegendEntry(
                    String.join(" / ", VaryingParams.describeAll(seriesKeys, values)), style)));
        }
        String title = "Gradient norm per layer " + stage.when();
        String subtitle = "L2 norm of each weight gradient at the " + stage.stepDescription()
                + "; layer 1 is next to the input";
        BufferedImage image = new Figure(title, subtitle, legend, panels, columns(panels.size())).draw();
        return Optional.of(new ChartFile(stage.fileName(), title, image));
    }

    /** Fewer panels, larger panels: the figure stays about 1200 to 1800 pixels wide. */
    private static Dimension panelSize(int panels) {
        return panels == 1 ? LARGE_PANEL : panels == 2 || panels == 4 ? MEDIUM_PANEL : SMALL_PANEL;
    }

    private static int columns(int panels) {
        return panels == 1 ? 1 : panels == 2 || panels == 4 ? 2 : 3;
    }

    private static XYChart panel(String title, Dimension size, LogRange range) {
        XYChart chart = ChartStyle.lineChart(size.width, size.height, title, "layer", "gradient norm");
        chart.getStyler()
                .setYAxisLogarithmic(true)
                .setYAxisLogarithmicDecadeOnly(true)
                .setYAxisMin(range.min())
                .setYAxisMax(range.max());
        // XChart puts ticks at equally spaced x values (the layers); this keeps any in-between tick unlabelled.
        chart.setCustomXAxisTickLabelsFormatter(ChartStyle.wholeNumberLabels());
        return chart;
    }

    private static void addSeries(XYChart chart, Line line, List<String> seriesKeys, SeriesStyle style) {
        List<Integer> layers = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        for (int layer = 1; layer <= line.profile().layerCount(); layer++) {
            double norm = line.profile().norm(layer);
            if (LogRange.plottable(norm)) {
                layers.add(layer);
                norms.add(norm);
            }
        }
        if (layers.isEmpty()) {
            return;
        }
        String name = VaryingParams.describe(line.trial(), seriesKeys);
        if (chart.getSeriesMap().containsKey(name)) { // same parameters twice: tell them apart by run
            name = name + " (" + line.trial().name() + ")";
        }
        XYSeries series = chart.addSeries(name, layers, norms);
        style.applyTo(series);
    }

    /** One trial's line. */
    private record Line(TrialData trial, GradientProfile profile) {}
}

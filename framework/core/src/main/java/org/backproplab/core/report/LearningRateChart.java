package org.backproplab.core.report;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@link LearningRateSweep} drawn: final metric against learning rate on a log axis, one line per group. */
final class LearningRateChart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 720;
    private static final double OUTLIER_FACTOR = 1000;

    private LearningRateChart() {}

    static String fileName(LearningRateSweep sweep) {
        return "lr-vs-final-" + MetricKeys.fileSafe(sweep.objective().metric()) + ".png";
    }

    /**
     * The top of the y-axis: a thousand times the median value, when some value lies above that (a diverged
     * trial's loss of 1e9 beside losses near 1), else no limit.
     */
    static double cap(double[] sortedValues) {
        if (sortedValues.length < 3) {
            return Double.POSITIVE_INFINITY;
        }
        double median = sortedValues[sortedValues.length / 2];
        double cap = median * OUTLIER_FACTOR;
        return median > 0 && sortedValues[sortedValues.length - 1] > cap ? cap : Double.POSITIVE_INFINITY;
    }

    static Optional<ChartFile> draw(LearningRateSweep sweep) {
        if (!sweep.hasPoints()) {
            return Optional.empty();
        }
        String metric = sweep.objective().metric();
        XYChart chart = ChartStyle.lineChart(WIDTH, HEIGHT, null, "learning rate (optimizer.lr)", "final " + metric);
        chart.getStyler().setChartTitleVisible(false);
        chart.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(true);
        double[] values = sweep.lines().stream().flatMap(line -> line.points().stream())
                .mapToDouble(LearningRateSweep.Point::value).filter(Double::isFinite).sorted().toArray();
        double cap = cap(values);
        chart.getStyler().setYAxisLogarithmic(LogRange.spansMoreThan(
                Arrays.stream(values).map(value -> Math.min(value, cap)), 2));
        List<Double> clippedRates = new ArrayList<>();

        Map<List<String>, SeriesStyle> styles = SeriesStyles.assign(
                sweep.lines().stream().map(LearningRateSweep.Line::values).toList());
        List<Figure.LegendEntry> legend = new ArrayList<>();
        for (LearningRateSweep.Line line : sweep.lines()) {
            if (line.points().isEmpty()) {
                continue;
            }
            SeriesStyle style = styles.get(line.values());
            XYSeries series = chart.addSeries(line.label(),
                    line.points().stream().map(LearningRateSweep.Point::learningRate).toList(),
                    line.points().stream().map(point -> Math.min(point.value(), cap)).toList());
            style.applyTo(series);
            legend.add(new Figure.LegendEntry(line.label(), style));
            line.points().stream().filter(point -> point.value() > cap).forEach(point -> clippedRates.add(point.learningRate()));
        }
        if (!clippedRates.isEmpty()) {
            // Marked where they are cut, so the axis keeps the shape of the others instead of spanning 20 decades.
            SeriesStyle marker = new SeriesStyle(ChartStyle.TEXT, new BasicStroke(0f), SeriesMarkers.TRIANGLE_UP);
            XYSeries clipped = chart.addSeries("above the axis", clippedRates, clippedRates.stream().map(rate -> cap).toList());
            clipped.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            marker.applyTo(clipped);
            legend.add(new Figure.LegendEntry("value above the axis, drawn at its top", marker));
            chart.getStyler().setYAxisMax(cap);
        }
        String title = "Final " + metric + " against learning rate";
        String subtitle = sweep.missing().isEmpty()
                ? "Value at the last logged step of each trial"
                : "Value at the last logged step; " + sweep.missing().size()
                        + " failed or diverged trial(s) have no point (see the report)";
        if (!clippedRates.isEmpty()) {
            subtitle += String.format(Locale.ROOT, "; %d value(s) above %.3g cut at the top (largest %.3g)",
                    clippedRates.size(), cap, values[values.length - 1]);
        }
        BufferedImage image = new Figure(title, subtitle, legend, List.of(chart), 1).draw();
        return Optional.of(new ChartFile(fileName(sweep), title, image));
    }
}

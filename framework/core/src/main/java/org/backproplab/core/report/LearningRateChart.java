package org.backproplab.core.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** {@link LearningRateSweep} drawn: final metric against learning rate on a log axis, one line per group. */
final class LearningRateChart {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 720;

    private LearningRateChart() {}

    static String fileName(LearningRateSweep sweep) {
        return "lr-vs-final-" + MetricKeys.fileSafe(sweep.objective().metric()) + ".png";
    }

    static Optional<ChartFile> draw(LearningRateSweep sweep) {
        if (!sweep.hasPoints()) {
            return Optional.empty();
        }
        String metric = sweep.objective().metric();
        XYChart chart = ChartStyle.lineChart(WIDTH, HEIGHT, null, "learning rate (optimizer.lr)", "final " + metric);
        chart.getStyler().setChartTitleVisible(false);
        chart.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(true);
        chart.getStyler().setYAxisLogarithmic(LogRange.spansMoreThan(sweep.lines().stream()
                .flatMap(line -> line.points().stream()).mapToDouble(LearningRateSweep.Point::value), 2));

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
                    line.points().stream().map(LearningRateSweep.Point::value).toList());
            style.applyTo(series);
            legend.add(new Figure.LegendEntry(line.label(), style));
        }
        String title = "Final " + metric + " against learning rate";
        String subtitle = sweep.missing().isEmpty()
                ? "Value at the last logged step of each trial"
                : "Value at the last logged step; " + sweep.missing().size()
                        + " failed or diverged trial(s) have no point (see the report)";
        BufferedImage image = new Figure(title, subtitle, legend, List.of(chart), 1).draw();
        return Optional.of(new ChartFile(fileName(sweep), title, image));
    }
}

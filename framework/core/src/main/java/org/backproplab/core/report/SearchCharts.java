package org.backproplab.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How a sweep searched: the objective of every trial by its number with the best value so far (TPE's progress at
 * a glance), and the parameters against the objective as parallel coordinates. Pruned trials are drawn apart:
 * their value is the last one they reported before they were stopped.
 */
final class SearchCharts {

    static final String HISTORY_FILE = "objective-by-trial.png";
    static final String PARALLEL_FILE = "parallel-coordinates.png";

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 720;
    /** The parallel chart's room below 0 for each axis's name and range, in the axes' units (0 to 1). */
    private static final double LABEL_ROOM = -0.2;
    /** Room left and right of the outer axes for their labels, in axes. */
    private static final double AXIS_MARGIN = 0.35;
    /** Characters of label the chart's width holds, shared between the axes. */
    private static final int LABEL_CHARACTERS = 110;
    private static final Color FINISHED = new Color(0x1F77B4);
    private static final Color PRUNED = new Color(0x999999);
    private static final Color BEST = new Color(0xD62728);
    private static final BasicStroke SOLID = new BasicStroke(2.5f);
    private static final BasicStroke THIN = new BasicStroke(1.5f);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
            new float[] {6, 6}, 0);
    /** Below this much of a decade, a parameter's axis is linear. */
    private static final double LOG_DECADES = 2;

    /** A trial with a value of the objective: its final one, or for a pruned trial the last it reported. */
    record Point(TrialData trial, int number, double value) {}

    private SearchCharts() {}

    /** The trials with a finite objective value, finished or pruned, by trial number. */
    static List<Point> points(ReportData data) {
        Objective objective = Objective.of(data);
        List<Point> points = new ArrayList<>();
        List<TrialData> trials = data.trials();
        for (int i = 0; i < trials.size(); i++) {
            TrialData trial = trials.get(i);
            Optional<Double> value = trial.pruned()
                    ? trial.last(objective.metric()).map(MetricPoint::value).filter(Double::isFinite)
                    : objective.finalValue(trial);
            int number = trial.index() > 0 ? trial.index() : i + 1;
            value.ifPresent(v -> points.add(new Point(trial, number, v)));
        }
        points.sort(java.util.Comparator.comparingInt(Point::number));
        return points;
    }

    /** The best finished value up to each point, in trial order (NaN before the first finished trial). */
    static List<Double> bestSoFar(List<Point> points, Objective objective) {
        List<Double> best = new ArrayList<>();
        double current = Double.NaN;
        for (Point point : points) {
            if (!point.trial().pruned() && (Double.isNaN(current)
                    || objective.betterFirst().compare(point.value(), current) < 0)) {
                current = point.value();
            }
            best.add(current);
        }
        return best;
    }

    static List<ChartFile> draw(ReportData data) {
        List<Point> points = points(data);
        if (points.size() < 2) {
            return List.of();
        }
        List<ChartFile> charts = new ArrayList<>();
        charts.add(history(data, points));
        parallel(data, points).ifPresent(charts::add);
        return charts;
    }

    private static ChartFile history(ReportData data, List<Point> points) {
        Objective objective = Objective.of(data);
        XYChart chart = ChartStyle.lineChart(WIDTH, HEIGHT, "", "trial", objective.metric());
        chart.getStyler().setChartTitleVisible(false);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(ChartStyle.wholeNumberLabels());
        List<Point> finished = points.stream().filter(point -> !point.trial().pruned()).toList();
        List<Point> pruned = points.stream().filter(point -> point.trial().pruned()).toList();
        List<Double> best = bestSoFar(points, objective);
        List<Integer> bestNumbers = new ArrayList<>();
        List<Double> bestValues = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (!Double.isNaN(best.get(i))) {
                bestNumbers.add(points.get(i).number());
                bestValues.add(best.get(i));
            }
        }
        List<Figure.LegendEntry> legend = new ArrayList<>();
        SeriesStyle bestStyle = new SeriesStyle(BEST, SOLID, SeriesMarkers.NONE);
        if (!bestNumbers.isEmpty()) {
            XYSeries line = chart.addSeries("best so far", bestNumbers, bestValues);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            bestStyle.applyTo(line);
            legend.add(new Figure.LegendEntry("best so far", bestStyle));
        }
        scatter(chart, "finished", finished, new SeriesStyle(FINISHED, SOLID, SeriesMarkers.CIRCLE), legend);
        scatter(chart, "pruned (last reported value)", pruned, new SeriesStyle(PRUNED, SOLID, SeriesMarkers.CROSS), legend);
        String title = objective.metric() + " by trial";
        BufferedImage image = new Figure(title, "Each trial's final value in the order the sweep ran them; the line is"
                + " the best finished value so far", legend, List.of(chart), 1).draw();
        return new ChartFile(HISTORY_FILE, title, image);
    }

    private static void scatter(XYChart chart, String name, List<Point> points, SeriesStyle style,
            List<Figure.LegendEntry> legend) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, points.stream().map(Point::number).toList(),
                points.stream().map(Point::value).toList());
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        style.applyTo(series);
        legend.add(new Figure.LegendEntry(name, style));
    }

    /** {@code optimizer.lr -> lr}, unless another axis's name also ends in {@code lr}. */
    static String shortName(String name, List<String> names) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        long sameEnd = names.stream().filter(other -> other.substring(other.lastIndexOf('.') + 1).equals(last)).count();
        return sameEnd == 1 ? last : name;
    }

    /** Text cut to {@code characters}, with an ellipsis, so that neighbouring axes' labels do not overlap. */
    private static String shortened(String text, int characters) {
        return text.length() <= characters ? text : text.substring(0, characters - 1) + "…";
    }

    /** One axis per varying parameter and the objective; one line per trial, darker for better ones. */
    private static Optional<ChartFile> parallel(ReportData data, List<Point> points) {
        List<String> keys = VaryingParams.of(points.stream().map(Point::trial).toList()).keys();
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        Objective objective = Objective.of(data);
        List<Axis> axes = new ArrayList<>();
        for (String key : keys) {
            axes.add(Axis.of(key, points.stream().map(point -> point.trial().param(key)).toList()));
        }
        axes.add(Axis.of(objective.metric(), points.stream().map(point -> Double.toString(point.value())).toList()));
        XYChart chart = ChartStyle.lineChart(WIDTH, HEIGHT, "", "", "position on the axis (lowest 0, highest 1)");
        chart.getStyler().setChartTitleVisible(false);
        // Each axis's name and range are written under it as annotations, not as the x-axis's tick labels: XChart
        // loops for ever looking for tick labels that are unique and fit (blank in-between ticks are never unique,
        // long category lists never fit), so that axis draws no ticks at all.
        chart.getStyler().setXAxisTicksVisible(false);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Double.toString(x));
        chart.getStyler().setXAxisMin(-AXIS_MARGIN).setXAxisMax(axes.size() - 1 + AXIS_MARGIN)
                .setYAxisMin(LABEL_ROOM).setYAxisMax(1.0);
        chart.getStyler().setAnnotationTextFont(ChartStyle.LEGEND_FONT).setAnnotationTextFontColor(ChartStyle.TEXT);
        int characters = Math.max(6, LABEL_CHARACTERS / axes.size());
        List<String> names = axes.stream().map(Axis::name).toList();
        for (int a = 0; a < axes.size(); a++) {
            chart.addAnnotation(new AnnotationText(shortened(shortName(names.get(a), names), characters), a,
                    LABEL_ROOM * 0.35, false));
            chart.addAnnotation(new AnnotationText(shortened(axes.get(a).range(), characters), a, LABEL_ROOM * 0.75, false));
        }
        List<Point> ranked = new ArrayList<>(points);
        // Worst first, so that the better trials' darker lines are drawn on top.
        ranked.sort((x, y) -> objective.betterFirst().compare(y.value(), x.value()));
        Point best = points.stream().filter(point -> !point.trial().pruned())
                .min((x, y) -> objective.betterFirst().compare(x.value(), y.value())).orElse(null);
        int finishedCount = (int) points.stream().filter(point -> !point.trial().pruned()).count();
        int rank = 0;
        for (Point point : ranked) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int a = 0; a < axes.size(); a++) {
                String raw = a < keys.size() ? point.trial().param(keys.get(a)) : Double.toString(point.value());
                Double position = axes.get(a).position(raw);
                if (position != null) {
                    xs.add((double) a);
                    ys.add(position);
                }
            }
            SeriesStyle style;
            if (point == best) {
                continue; // drawn last, on top
            } else if (point.trial().pruned()) {
                style = new SeriesStyle(PRUNED, DASHED, SeriesMarkers.NONE);
            } else {
                rank++;
                double lightness = finishedCount < 2 ? 0 : 0.75 * (finishedCount - rank) / (finishedCount - 1.0);
                style = new SeriesStyle(FINISHED, THIN, SeriesMarkers.NONE).lighter(lightness);
            }
            style.applyTo(chart.addSeries("#" + point.number() + " " + point.trial().name(), xs, ys));
        }
        List<Figure.LegendEntry> legend = new ArrayList<>();
        if (best != null) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int a = 0; a < axes.size(); a++) {
                String raw = a < keys.size() ? best.trial().param(keys.get(a)) : Double.toString(best.value());
                Double position = axes.get(a).position(raw);
                if (position != null) {
                    xs.add((double) a);
                    ys.add(position);
                }
            }
            SeriesStyle style = new SeriesStyle(BEST, SOLID, SeriesMarkers.CIRCLE);
            style.applyTo(chart.addSeries("best: #" + best.number() + " " + best.trial().name(), xs, ys));
            legend.add(new Figure.LegendEntry("best trial (#" + best.number() + ")", style));
        }
        legend.add(new Figure.LegendEntry("finished (darker is better)", new SeriesStyle(FINISHED, THIN, SeriesMarkers.NONE)));
        if (points.stream().anyMatch(point -> point.trial().pruned())) {
            legend.add(new Figure.LegendEntry("pruned", new SeriesStyle(PRUNED, DASHED, SeriesMarkers.NONE)));
        }
        String title = "Parameters against " + objective.metric();
        BufferedImage image = new Figure(title, "One line per trial across the swept parameters to its objective;"
                + " each axis runs from its lowest value (0) to its highest (1)", legend, List.of(chart), 1).draw();
        return Optional.of(new ChartFile(PARALLEL_FILE, title, image));
    }

    /**
     * One vertical axis: numbers from their minimum to their maximum (on a log scale when they span decades),
     * other values evenly spaced in their order.
     */
    record Axis(String name, Double min, Double max, boolean log, List<String> categories) {

        static Axis of(String name, List<String> values) {
            List<Double> numbers = new ArrayList<>();
            for (String value : values) {
                Double number = number(value);
                if (value != null && number == null) {
                    List<String> categories = values.stream().filter(java.util.Objects::nonNull).distinct()
                            .sorted(VaryingParams.ParamValueOrder.INSTANCE).toList();
                    return new Axis(name, null, null, false, categories);
                }
                if (number != null) {
                    numbers.add(number);
                }
            }
            double min = numbers.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = numbers.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            boolean log = min > 0 && Math.log10(max / min) >= LOG_DECADES;
            return new Axis(name, min, max, log, List.of());
        }

        private static Double number(String value) {
            try {
                return value == null ? null : Double.valueOf(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** Where {@code value} sits on this axis, 0 to 1; {@code null} for a trial without the parameter. */
        Double position(String value) {
            if (value == null) {
                return null;
            }
            if (min == null) {
                return categories.size() < 2 ? 0.5 : categories.indexOf(value) / (categories.size() - 1.0);
            }
            double number = Double.parseDouble(value);
            if (max.equals(min)) {
                return 0.5;
            }
            return log ? Math.log(number / min) / Math.log(max / min) : (number - min) / (max - min);
        }

        /** E.g. {@code optimizer.lr (0.0001 to 3, log)}. */
        String label() {
            return name + " (" + range() + ")";
        }

        /** Its values: the categories in order, or the numbers' span. */
        String range() {
            return min == null ? String.join(", ", categories)
                    : Numbers.format(min) + " to " + Numbers.format(max) + (log ? ", log" : "");
        }
    }
}

package org.backproplab.plugins.metrics;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;

/** The confusion matrix as a CSV table and as a PNG heatmap. */
final class ConfusionMatrixFiles {

    /** Above this many classes the counts no longer fit in their cells. */
    private static final int MOST_ANNOTATED_CLASSES = 20;
    private static final Color NONE = Color.WHITE;
    private static final Color MOST = new Color(0x4A90C8);

    private ConfusionMatrixFiles() {}

    /**
     * A header row {@code target \ predicted,<class>,...}, then one row per true class: its name and how
     * often it was predicted as each class. Names are quoted as RFC 4180 asks when they need it.
     */
    static byte[] csv(ConfusionCounts counts, List<String> names) {
        StringBuilder csv = new StringBuilder();
        csv.append(row(Stream.concat(Stream.of("target \\ predicted"), names.stream())));
        for (int target = 0; target < counts.classes(); target++) {
            int t = target;
            Stream<String> cells = Stream.iterate(0, p -> p < counts.classes(), p -> p + 1)
                    .map(predicted -> Long.toString(counts.count(t, predicted)));
            csv.append(row(Stream.concat(Stream.of(names.get(target)), cells)));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String row(Stream<String> cells) {
        return cells.map(ConfusionMatrixFiles::field).collect(Collectors.joining(",", "", "\n"));
    }

    private static String field(String value) {
        boolean quoted = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        return quoted ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** A heatmap of the counts, true classes down from the top, predicted across, each cell annotated. */
    static byte[] png(ConfusionCounts counts, List<String> names) throws IOException {
        int classes = counts.classes();
        int side = Math.min(2400, Math.max(700, 60 * classes + 320));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 160).height(side)
                .title("Confusion matrix (" + counts.total() + " test examples, accuracy "
                        + String.format(Locale.ROOT, "%.4f", (double) counts.correct() / counts.total()) + ")")
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        long largest = 1;
        List<Number[]> cells = new ArrayList<>();
        for (int target = 0; target < classes; target++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                long count = counts.count(target, predicted);
                largest = Math.max(largest, count);
                // Rows are drawn from the bottom: the first class goes on top.
                cells.add(new Number[] {predicted, classes - 1 - target, count});
            }
        }
        HeatMapStyler styler = chart.getStyler();
        styler.setRangeColors(new Color[] {NONE, MOST}).setMin(0).setMax(largest)
                .setShowValue(classes <= MOST_ANNOTATED_CLASSES).setHeatMapValueDecimalPattern("#")
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15)).setValueFontColor(Color.BLACK)
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        if (names.stream().anyMatch(name -> name.length() > 3)) {
            styler.setXAxisLabelRotation(45);
        }
        List<String> rows = new ArrayList<>(names);
        Collections.reverse(rows);
        chart.addSeries("examples", names, rows, cells);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}

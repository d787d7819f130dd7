package org.backproplab.core.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.HeatMapChart;

/**
 * Heatmaps of {@link RatioGrid}: depth across, activation down, one image per init scheme. Red is vanishing,
 * white balanced, blue exploding, on the same scale in every image so that they compare side by side.
 */
final class GradientRatioHeatmap {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final Color VANISHING = new Color(0xC0392B);
    private static final Color BALANCED = new Color(0xF7F7F7);
    private static final Color EXPLODING = new Color(0x2C6FAC);
    private static final String SUBTITLE = "log10 of layer 1's gradient norm over the last layer's:"
            + " 0 = intact at the input, −5 = 100 000× smaller (red vanishing, blue exploding)";

    private GradientRatioHeatmap() {}

    static List<ChartFile> draw(List<RatioGrid> grids) {
        // Whole decades, at least ±1 so that a sweep with no vanishing at all does not paint noise in full red;
        // the tolerance keeps a computed -5.000000001 on a ±5 scale.
        double largest = grids.stream().mapToDouble(RatioGrid::largestMagnitude).max().orElse(1);
        double scale = Math.max(1, Math.ceil(largest - 1e-6));
        List<ChartFile> files = new ArrayList<>();
        for (RatioGrid grid : grids) {
            HeatMapChart chart = ChartStyle.heatMap(WIDTH, HEIGHT, "depth (layers)", "activation");
            chart.getStyler()
                    .setRangeColors(new Color[] {VANISHING, BALANCED, EXPLODING})
                    .setMin(-scale)
                    .setMax(scale)
                    .setShowValue(true)
                    .setHeatMapValueDecimalPattern("0.0");
            // Rows are drawn bottom-up: reversed, the activations read alphabetically from the top.
            chart.addSeries("log10 ratio", grid.depths(), reversed(grid.activations()), heatData(grid));
            String title = "First- to last-layer gradient ratio at initialisation"
                    + (grid.init() == null ? "" : ", init " + grid.init());
            BufferedImage image = new Figure(title, SUBTITLE, List.of(), List.of(chart), 1).draw();
            files.add(new ChartFile(fileName(grid), title, image));
        }
        return files;
    }

    static String fileName(RatioGrid grid) {
        return grid.init() == null
                ? "gradient-ratio-heatmap.png"
                : "gradient-ratio-heatmap-" + MetricKeys.fileSafe(grid.init()) + ".png";
    }

    /** {x index, y index, value} for every cell with a value (y counted from the bottom); others stay blank. */
    private static List<Number[]> heatData(RatioGrid grid) {
        int rows = grid.activations().size();
        List<Number[]> data = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < grid.depths().size(); column++) {
                double value = grid.cell(row, column);
                if (Double.isFinite(value)) {
                    data.add(new Number[] {column, rows - 1 - row, value});
                }
            }
        }
        return data;
    }

    private static List<String> reversed(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.reverse(copy);
        return copy;
    }
}

package org.backproplab.core.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.DoubleStream;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * One run's gradient profile as a PNG: the L2 norm of each layer's weight gradient against the layer, at the
 * first measurement and at the last, on one log axis, so that a collapse toward the input (vanishing) or a
 * growth toward it (exploding) shows in the run's own artifacts, whatever MLflow's per-metric charts scale.
 */
public final class GradientProfilePicture {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private GradientProfilePicture() {}

    /**
     * The picture, or empty when no norm can be drawn on a log axis (all zero or not finite).
     *
     * @param title the chart's title, e.g. the run's name
     * @param initial the norms by layer at the first measurement, layer 1 next to the input
     * @param initialStep the step of the first measurement
     * @param end the norms by layer at the last measurement
     * @param endStep the step of the last measurement
     */
    public static Optional<byte[]> png(String title, double[] initial, long initialStep, double[] end, long endStep) {
        Optional<LogRange> range = LogRange.of(DoubleStream.concat(Arrays.stream(initial), Arrays.stream(end)));
        if (range.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = ChartStyle.lineChart(WIDTH, HEIGHT, title, "layer (1 is next to the input)", "gradient norm");
        chart.getStyler().setLegendVisible(true);
        chart.getStyler()
                .setYAxisLogarithmic(true)
                .setYAxisLogarithmicDecadeOnly(true)
                .setYAxisMin(range.get().min())
                .setYAxisMax(range.get().max());
        chart.setCustomXAxisTickLabelsFormatter(ChartStyle.wholeNumberLabels());
        Map<List<String>, SeriesStyle> styles = SeriesStyles.assign(List.of(List.of("init"), List.of("end")));
        addSeries(chart, "at step " + initialStep + " (initialisation)", initial, styles.get(List.of("init")));
        if (endStep != initialStep) {
            addSeries(chart, "at step " + endStep + " (last measurement)", end, styles.get(List.of("end")));
        }
        if (chart.getSeriesMap().isEmpty()) {
            return Optional.empty();
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", bytes);
            return Optional.of(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the gradient profile as PNG", e);
        }
    }

    private static void addSeries(XYChart chart, String name, double[] norms, SeriesStyle style) {
        List<Integer> layers = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < norms.length; i++) {
            if (LogRange.plottable(norms[i])) {
                layers.add(i + 1);
                values.add(norms[i]);
            }
        }
        if (!layers.isEmpty()) {
            XYSeries series = chart.addSeries(name, layers, values);
            style.applyTo(series);
        }
    }
}

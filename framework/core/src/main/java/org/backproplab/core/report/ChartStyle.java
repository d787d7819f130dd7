package org.backproplab.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** One look for every chart of a report: white background, light grid, fonts large enough for a slide. */
final class ChartStyle {

    static final String FONT_FAMILY = Font.SANS_SERIF;
    static final Font FIGURE_TITLE_FONT = new Font(FONT_FAMILY, Font.BOLD, 28);
    static final Font FIGURE_SUBTITLE_FONT = new Font(FONT_FAMILY, Font.PLAIN, 18);
    static final Font LEGEND_FONT = new Font(FONT_FAMILY, Font.PLAIN, 18);
    static final Color TEXT = new Color(0x222222);
    static final Color MUTED_TEXT = new Color(0x555555);

    private static final Font TITLE_FONT = new Font(FONT_FAMILY, Font.BOLD, 20);
    private static final Font AXIS_TITLE_FONT = new Font(FONT_FAMILY, Font.PLAIN, 17);
    private static final Font TICK_FONT = new Font(FONT_FAMILY, Font.PLAIN, 15);
    private static final Color GRID = new Color(0xEAEAEA);
    private static final Color BORDER = new Color(0xB0B0B0);

    private ChartStyle() {}

    /** A line chart without its own legend: figures draw one legend for all their panels. */
    static XYChart lineChart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        styleAxes(chart.getStyler());
        chart.getStyler()
                .setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line)
                .setLegendVisible(false)
                .setMarkerSize(9);
        return chart;
    }

    /** A heatmap without a title of its own: it is drawn inside a {@link Figure}, which has one. */
    static HeatMapChart heatMap(int width, int height, String xTitle, String yTitle) {
        // The builder, not the (width, height) constructor: that one leaves the styler's fonts and colours unset.
        HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height).build();
        chart.getStyler().setChartTitleVisible(false);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        styleAxes(chart.getStyler());
        chart.getStyler().setLegendFont(TICK_FONT);
        chart.getStyler().setValueFont(new Font(FONT_FAMILY, Font.BOLD, 18));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotGridLinesVisible(false);
        return chart;
    }

    /** Tick labels for an axis of whole numbers (layers): no label between them. */
    static Function<Double, String> wholeNumberLabels() {
        return value -> Math.abs(value - Math.rint(value)) < 1e-9 ? Long.toString(Math.round(value)) : "";
    }

    private static void styleAxes(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(BORDER);
        styler.setPlotGridLinesColor(GRID);
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartFontColor(TEXT);
        styler.setAxisTickLabelsColor(TEXT);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setAxisTitleFont(AXIS_TITLE_FONT);
        styler.setAxisTickLabelsFont(TICK_FONT);
        styler.setChartPadding(14);
        styler.setPlotMargin(6);
        styler.setAxisTitlePadding(10);
        styler.setLocale(Locale.ROOT);
        styler.setAntiAlias(true);
    }
}

package org.backproplab.core.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One picture made of a title, a shared legend and a grid of chart panels, drawn with Java2D: XChart draws one
 * chart per image, and a legend repeated in every panel would hide the data.
 */
final class Figure {

    /** One legend line: a sample of the series' line and marker, and its name. */
    record LegendEntry(String label, SeriesStyle style) {}

    private static final int MARGIN = 24;
    private static final int LEGEND_SAMPLE = 46;
    private static final int LEGEND_GAP = 30;
    private static final int LEGEND_ROW = 32;
    private static final int MARKER_SIZE = 10;

    private final String title;
    private final String subtitle;
    private final List<LegendEntry> legend;
    private final List<Chart<?, ?>> panels;
    private final int columns;

    /**
     * @param subtitle a line under the title; {@code null} for none
     * @param panels charts of equal size, drawn left to right, top to bottom
     */
    Figure(String title, String subtitle, List<LegendEntry> legend, List<? extends Chart<?, ?>> panels, int columns) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("A figure needs at least one panel.");
        }
        this.title = title;
        this.subtitle = subtitle;
        this.legend = List.copyOf(legend);
        this.panels = List.copyOf(panels);
        this.columns = Math.max(1, Math.min(columns, panels.size()));
    }

    BufferedImage draw() {
        int panelWidth = panels.get(0).getWidth();
        int panelHeight = panels.get(0).getHeight();
        int rows = (panels.size() + columns - 1) / columns;
        int gridWidth = columns * panelWidth;

        // Measure on a scratch image: the header's height depends on how the legend wraps.
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = scratch.createGraphics();
        int width = Math.max(gridWidth, headerWidth(measure)) + 2 * MARGIN;
        List<List<LegendEntry>> legendRows = legendRows(measure, width - 2 * MARGIN);
        int headerHeight = headerHeight(measure, legendRows.size());
        measure.dispose();
        int gridLeft = (width - gridWidth) / 2;

        BufferedImage image = new BufferedImage(width, headerHeight + rows * panelHeight + MARGIN,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            int y = drawHeader(g, width);
            drawLegend(g, legendRows, width, y);
            for (int i = 0; i < panels.size(); i++) {
                Graphics2D cell = (Graphics2D) g.create(gridLeft + i % columns * panelWidth,
                        headerHeight + i / columns * panelHeight, panelWidth, panelHeight);
                try {
                    panels.get(i).paint(cell, panelWidth, panelHeight);
                } finally {
                    cell.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The width the title and subtitle need: a long title widens the figure rather than being cut. */
    private int headerWidth(Graphics2D g) {
        int width = g.getFontMetrics(ChartStyle.FIGURE_TITLE_FONT).stringWidth(title);
        if (subtitle != null) {
            width = Math.max(width, g.getFontMetrics(ChartStyle.FIGURE_SUBTITLE_FONT).stringWidth(subtitle));
        }
        return width;
    }

    private int headerHeight(Graphics2D g, int legendRowCount) {
        int height = MARGIN + g.getFontMetrics(ChartStyle.FIGURE_TITLE_FONT).getHeight();
        if (subtitle != null) {
            height += g.getFontMetrics(ChartStyle.FIGURE_SUBTITLE_FONT).getHeight() + 4;
        }
        return height + 14 + legendRowCount * LEGEND_ROW + 8;
    }

    /** Draws the title and subtitle, centred; returns where the legend starts. */
    private int drawHeader(Graphics2D g, int width) {
        g.setColor(ChartStyle.TEXT);
        g.setFont(ChartStyle.FIGURE_TITLE_FONT);
        FontMetrics metrics = g.getFontMetrics();
        int y = MARGIN + metrics.getAscent();
        g.drawString(title, (width - metrics.stringWidth(title)) / 2, y);
        y += metrics.getDescent();
        if (subtitle != null) {
            g.setColor(ChartStyle.MUTED_TEXT);
            g.setFont(ChartStyle.FIGURE_SUBTITLE_FONT);
            metrics = g.getFontMetrics();
            y += 4 + metrics.getAscent();
            g.drawString(subtitle, (width - metrics.stringWidth(subtitle)) / 2, y);
            y += metrics.getDescent();
        }
        return y + 14;
    }

    /** Splits the legend into centred rows that fit {@code maxWidth}. */
    private List<List<LegendEntry>> legendRows(Graphics2D g, int maxWidth) {
        FontMetrics metrics = g.getFontMetrics(ChartStyle.LEGEND_FONT);
        List<List<LegendEntry>> rows = new ArrayList<>();
        List<LegendEntry> row = new ArrayList<>();
        int rowWidth = 0;
        for (LegendEntry entry : legend) {
            int entryWidth = entryWidth(metrics, entry);
            if (!row.isEmpty() && rowWidth + LEGEND_GAP + entryWidth > maxWidth) {
                rows.add(row);
                row = new ArrayList<>();
                rowWidth = 0;
            }
            rowWidth += (row.isEmpty() ? 0 : LEGEND_GAP) + entryWidth;
            row.add(entry);
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    private void drawLegend(Graphics2D g, List<List<LegendEntry>> rows, int width, int top) {
        g.setFont(ChartStyle.LEGEND_FONT);
        FontMetrics metrics = g.getFontMetrics();
        for (int r = 0; r < rows.size(); r++) {
            List<LegendEntry> row = rows.get(r);
            int rowWidth = row.stream().mapToInt(entry -> entryWidth(metrics, entry)).sum()
                    + LEGEND_GAP * (row.size() - 1);
            int x = (width - rowWidth) / 2;
            int middle = top + r * LEGEND_ROW + LEGEND_ROW / 2;
            for (LegendEntry entry : row) {
                SeriesStyle style = entry.style();
                g.setColor(style.color());
                g.setStroke(style.stroke());
                g.drawLine(x, middle, x + LEGEND_SAMPLE, middle);
                style.marker().paint(g, x + LEGEND_SAMPLE / 2.0, middle, MARKER_SIZE);
                g.setColor(ChartStyle.TEXT);
                g.drawString(entry.label(), x + LEGEND_SAMPLE + 8,
                        middle + (metrics.getAscent() - metrics.getDescent()) / 2);
                x += entryWidth(metrics, entry) + LEGEND_GAP;
            }
        }
    }

    private static int entryWidth(FontMetrics metrics, LegendEntry entry) {
        return LEGEND_SAMPLE + 8 + metrics.stringWidth(entry.label());
    }
}

package org.backproplab.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;

/** How one line of a chart looks, kept the same in every panel of a figure and in its legend. */
record SeriesStyle(Color color, BasicStroke stroke, Marker marker) {

    void applyTo(XYSeries series) {
        series.setLineColor(color);
        series.setLineStyle(stroke);
        series.setMarker(marker);
        series.setMarkerColor(color);
    }

    /** The same style in a lighter shade: {@code amount} 0 keeps the colour, 1 is white. */
    SeriesStyle lighter(double amount) {
        double keep = 1 - Math.max(0, Math.min(1, amount));
        Color lighter = new Color(
                blend(color.getRed(), keep), blend(color.getGreen(), keep), blend(color.getBlue(), keep));
        return new SeriesStyle(lighter, stroke, marker);
    }

    private static int blend(int channel, double keep) {
        return (int) Math.round(255 - (255 - channel) * keep);
    }
}

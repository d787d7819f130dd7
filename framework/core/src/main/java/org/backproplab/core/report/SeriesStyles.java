package org.backproplab.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Gives every series of a figure its look from the parameter values that name it, so that a reader can decode
 * a line without the legend: one parameter picks the dash and marker (e.g. the init scheme), the others the
 * colour (e.g. the activation).
 */
final class SeriesStyles {

    /** Tableau 10, reordered so that the pale yellow and grey come last: readable on white and on a projector. */
    private static final List<Color> COLORS = List.of(
            new Color(0x4E79A7), new Color(0xE15759), new Color(0x59A14F), new Color(0xF28E2B),
            new Color(0xB07AA1), new Color(0x76B7B2), new Color(0x9C755F), new Color(0xFF9DA7),
            new Color(0xEDC948), new Color(0xBAB0AC));

    private static final float LINE_WIDTH = 2.5f;
    private static final List<BasicStroke> STROKES = List.of(
            stroke(null),
            stroke(new float[] {12f, 7f}),
            stroke(new float[] {2.5f, 5f}),
            stroke(new float[] {12f, 5f, 2.5f, 5f}));
    private static final List<Marker> MARKERS =
            List.of(SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP);

    private SeriesStyles() {}

    /**
     * Styles for series named by value tuples of equal length. With two or more values per tuple, one position
     * that takes at most four values chooses the dash and marker (the last such position: e.g. the init scheme
     * after the activation); the other positions choose the colour.
     */
    static Map<List<String>, SeriesStyle> assign(List<List<String>> tuples) {
        List<List<String>> distinct = tuples.stream().distinct().toList();
        int dashPosition = dashPosition(distinct);
        List<String> dashValues = dashPosition < 0 ? List.of()
                : distinct.stream().map(tuple -> tuple.get(dashPosition)).distinct().toList();

        List<List<String>> colourKeys = new ArrayList<>();
        Map<List<String>, SeriesStyle> styles = new LinkedHashMap<>();
        for (List<String> tuple : distinct) {
            List<String> colourKey = new ArrayList<>(tuple);
            if (dashPosition >= 0) {
                colourKey.remove(dashPosition);
            }
            if (!colourKeys.contains(colourKey)) {
                colourKeys.add(colourKey);
            }
            int colour = colourKeys.indexOf(colourKey);
            int dash = dashPosition < 0 ? 0 : dashValues.indexOf(tuple.get(dashPosition));
            // Past ten colours, the marker tells lines of the same colour apart.
            Marker marker = dashPosition < 0 ? MARKERS.get(colour / COLORS.size() % MARKERS.size()) : MARKERS.get(dash);
            styles.put(tuple, new SeriesStyle(COLORS.get(colour % COLORS.size()), STROKES.get(dash), marker));
        }
        return styles;
    }

    /** The last position with at most as many values as there are dash patterns; -1 if none or a single one. */
    private static int dashPosition(List<List<String>> tuples) {
        int width = tuples.isEmpty() ? 0 : tuples.get(0).size();
        if (width < 2) {
            return -1;
        }
        for (int position = width - 1; position >= 0; position--) {
            int at = position;
            if (tuples.stream().map(tuple -> tuple.get(at)).distinct().count() <= STROKES.size()) {
                return position;
            }
        }
        return -1;
    }

    private static BasicStroke stroke(float[] dash) {
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }
}

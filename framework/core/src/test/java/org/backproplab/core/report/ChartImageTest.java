package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNGs, read back as images: the right size, and with the data drawn in them. */
class ChartImageTest {

    /** Three depths: three 600×440 panels side by side, 24 pixels of margin on each side. */
    private static final int GRADIENT_FIGURE_WIDTH = 3 * 600 + 2 * 24;
    private static final int PANEL_HEIGHT = 440;

    @TempDir
    Path directory;

    @Test
    void theGradientFigureIsAPanelPerDepthWithTheSeriesColoursInIt() throws IOException {
        ReportWriter.write(SyntheticTrials.sweep(), directory);
        BufferedImage image = read("gradient-norms.png");

        assertThat(image.getWidth()).isEqualTo(GRADIENT_FIGURE_WIDTH);
        // One row of panels under a header (title, subtitle, one legend row).
        assertThat(image.getHeight()).isBetween(PANEL_HEIGHT + 100, PANEL_HEIGHT + 250);
        int panelsTop = image.getHeight() - PANEL_HEIGHT - 24;
        BufferedImage panels = image.getSubimage(0, panelsTop, image.getWidth(), PANEL_HEIGHT);
        Map<List<String>, SeriesStyle> styles = SeriesStyles.assign(List.of(
                List.of("relu", "he"), List.of("relu", "xavier"), List.of("sigmoid", "he"), List.of("sigmoid", "xavier")));
        assertThat(colours(panels)).hasSizeGreaterThan(20)
                .contains(styles.get(List.of("relu", "he")).color().getRGB(),
                        styles.get(List.of("sigmoid", "he")).color().getRGB());
    }

    @Test
    void everyChartIsANonEmptyPngAtLeast1200PixelsWide() throws IOException {
        Report report = ReportWriter.write(SyntheticTrials.sweep(), directory);

        for (Path file : report.files()) {
            if (file.toString().endsWith(".png")) {
                BufferedImage image = ImageIO.read(file.toFile());
                assertThat(image).as(file.toString()).isNotNull();
                assertThat(image.getWidth()).as(file.toString()).isBetween(1200, 2000);
                assertThat(image.getHeight()).as(file.toString()).isBetween(600, 1400);
                assertThat(colours(image)).as(file.toString()).hasSizeGreaterThan(20);
            }
        }
    }

    @Test
    void theHeatmapPaintsVanishingRedAndBalancedNearWhite() throws IOException {
        ReportWriter.write(SyntheticTrials.sweep(), directory);
        BufferedImage image = read("gradient-ratio-heatmap-xavier.png");

        // sigmoid/xavier at depth 6 is -5 on a ±5 scale: a whole cell in the full "vanishing" red.
        assertThat(count(image, new Color(0xC0392B))).isGreaterThan(10_000);
        // relu/he is exactly 0: its cells are the balanced near-white.
        assertThat(count(read("gradient-ratio-heatmap-he.png"), new Color(0xF7F7F7))).isGreaterThan(10_000);
    }

    /** Pixels within a few levels of {@code colour}: gradients are interpolated, not exact. */
    private static int count(BufferedImage image, Color colour) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color pixel = new Color(image.getRGB(x, y));
                if (Math.abs(pixel.getRed() - colour.getRed()) + Math.abs(pixel.getGreen() - colour.getGreen())
                        + Math.abs(pixel.getBlue() - colour.getBlue()) <= 6) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void aFigureIsAsWideAsItsPanelGrid() {
        List<org.knowm.xchart.XYChart> panels = List.of(
                ChartStyle.lineChart(400, 300, "a", "x", "y"), ChartStyle.lineChart(400, 300, "b", "x", "y"));
        panels.forEach(panel -> panel.addSeries("s", new double[] {1, 2, 3}, new double[] {3, 1, 2}));

        BufferedImage image = new Figure("T", null, List.of(), panels, 2).draw();

        assertThat(image.getWidth()).isEqualTo(2 * 400 + 2 * 24);
        assertThat(image.getHeight()).isGreaterThan(300).isLessThan(300 + 150);
    }

    private BufferedImage read(String fileName) throws IOException {
        BufferedImage image = ImageIO.read(directory.resolve(fileName).toFile());
        assertThat(image).as(fileName).isNotNull();
        return image;
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) | 0xFF000000);
            }
        }
        return colours;
    }
}

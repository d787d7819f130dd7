package org.backproplab.core.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Writes a report into a directory: a PNG per chart that has data, {@code report.md} (the numbers behind every
 * chart, final metrics, ranking) and {@code report.html} (the same, with the charts embedded, for offline use).
 * Files of an earlier report with the same names are replaced; others are left alone.
 */
public final class ReportWriter {

    public static final String MARKDOWN_FILE = "report.md";
    public static final String HTML_FILE = "report.html";

    private ReportWriter() {}

    /**
     * @param directory created if missing
     * @throws UncheckedIOException if a file cannot be written
     */
    public static Report write(ReportData data, Path directory) {
        List<RatioGrid> ratioGrids = RatioGrid.of(data.trials());
        Optional<LearningRateSweep> lrSweep = LearningRateSweep.of(data);
        List<ChartFile> charts = ReportCharts.draw(data, ratioGrids, lrSweep);
        ReportDocument document = ReportContent.build(data, charts, ratioGrids, lrSweep);
        try {
            Files.createDirectories(directory);
            List<Path> files = new ArrayList<>();
            Map<String, byte[]> images = new LinkedHashMap<>();
            for (ChartFile chart : charts) {
                byte[] png = png(chart);
                images.put(chart.fileName(), png);
                files.add(Files.write(directory.resolve(chart.fileName()), png));
            }
            Path markdown = Files.writeString(directory.resolve(MARKDOWN_FILE), MarkdownRenderer.render(document),
                    StandardCharsets.UTF_8);
            Path html = Files.writeString(directory.resolve(HTML_FILE),
                    HtmlRenderer.render(data.title(), document, images), StandardCharsets.UTF_8);
            files.add(markdown);
            files.add(html);
            return new Report(directory, files, markdown, html);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report into " + directory + ": " + e.getMessage(), e);
        }
    }

    private static byte[] png(ChartFile chart) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(chart.image(), "png", bytes)) {
            throw new IOException("No PNG writer for chart " + chart.fileName());
        }
        return bytes.toByteArray();
    }
}

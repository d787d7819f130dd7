package org.backproplab.core.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link ReportDocument} as one self-contained HTML page: the charts are embedded as base64 data URIs
 * and the style is inline, so the file opens offline, attached to a mail or downloaded from MLflow on its own.
 */
final class HtmlRenderer {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                   max-width: 1400px; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
            h1 { border-bottom: 2px solid #4E79A7; padding-bottom: .3em; }
            h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
            figure { margin: 1.5em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #555; font-size: .9em; }
            .table-wrap { overflow-x: auto; }
            table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
            th, td { border: 1px solid #ddd; padding: .3em .6em; }
            th { background: #f3f5f8; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr:nth-child(even) td { background: #fafafa; }
            """;

    private HtmlRenderer() {}

    /**
     * @param title the page title
     * @param images the PNG bytes of every image the document shows, by file name
     */
    static String render(String title, ReportDocument document, Map<String, byte[]> images) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        for (ReportDocument.Block block : document.blocks()) {
            if (block instanceof ReportDocument.Heading heading) {
                int level = Math.max(1, Math.min(6, heading.level()));
                out.append("<h").append(level).append('>').append(escape(heading.text()))
                        .append("</h").append(level).append(">\n");
            } else if (block instanceof ReportDocument.Paragraph paragraph) {
                out.append("<p>").append(escape(paragraph.text())).append("</p>\n");
            } else if (block instanceof ReportDocument.Bullets bullets) {
                out.append("<ul>\n");
                bullets.items().forEach(item -> out.append("<li>").append(escape(item)).append("</li>\n"));
                out.append("</ul>\n");
            } else if (block instanceof ReportDocument.Table table) {
                table(out, table);
            } else if (block instanceof ReportDocument.Image image) {
                image(out, image, images.get(image.fileName()));
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    private static void table(StringBuilder out, ReportDocument.Table table) {
        out.append("<div class=\"table-wrap\"><table>\n<thead><tr>");
        table.header().forEach(cell -> out.append("<th>").append(escape(cell)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                boolean numeric = i < table.numericColumns().size() && table.numericColumns().get(i);
                out.append(numeric ? "<td class=\"num\">" : "<td>").append(escape(row.get(i))).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private static void image(StringBuilder out, ReportDocument.Image image, byte[] png) {
        if (png == null) {
            throw new IllegalArgumentException("No PNG for image " + image.fileName() + " of the report.");
        }
        out.append("<figure><img alt=\"").append(escape(image.caption()))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\"><figcaption>").append(escape(image.caption())).append(" (")
                .append(escape(image.fileName())).append(")</figcaption></figure>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package org.backproplab.core.report;

import java.util.List;

/** Renders a {@link ReportDocument} as GitHub-flavoured Markdown, images referring to the PNGs beside it. */
final class MarkdownRenderer {

    private MarkdownRenderer() {}

    static String render(ReportDocument document) {
        StringBuilder out = new StringBuilder();
        for (ReportDocument.Block block : document.blocks()) {
            if (block instanceof ReportDocument.Heading heading) {
                out.append("#".repeat(heading.level())).append(' ').append(inline(heading.text())).append("\n\n");
            } else if (block instanceof ReportDocument.Paragraph paragraph) {
                out.append(inline(paragraph.text())).append("\n\n");
            } else if (block instanceof ReportDocument.Bullets bullets) {
                bullets.items().forEach(item -> out.append("- ").append(inline(item)).append('\n'));
                out.append('\n');
            } else if (block instanceof ReportDocument.Table table) {
                table(out, table);
            } else if (block instanceof ReportDocument.Image image) {
                out.append("![").append(inline(image.caption())).append("](").append(image.fileName()).append(")\n\n");
            }
        }
        return out.toString();
    }

    private static void table(StringBuilder out, ReportDocument.Table table) {
        row(out, table.header());
        out.append('|');
        for (boolean numeric : table.numericColumns()) {
            out.append(numeric ? "---:|" : "---|");
        }
        out.append('\n');
        table.rows().forEach(row -> row(out, row));
        out.append('\n');
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        cells.forEach(cell -> out.append(' ').append(inline(cell).replace("|", "\\|")).append(" |"));
        out.append('\n');
    }

    /**
     * Escapes what Markdown would otherwise format. Underscores stay: GitHub does not read them inside words, and
     * metric names like grad_norm/layer_01 should stay searchable in the raw file.
     */
    private static String inline(String text) {
        return text.replace("\\", "\\\\")
                .replace("*", "\\*")
                .replace("`", "\\`")
                .replace("[", "\\[")
                .replace("]", "\\]")
                .replace("<", "&lt;")
                .replace("\n", " ");
    }
}

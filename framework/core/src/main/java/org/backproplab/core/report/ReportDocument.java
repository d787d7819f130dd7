package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A report's text as a list of blocks, written once and rendered twice: as Markdown and as HTML. Text is plain
 * (renderers escape it), so a parameter value cannot break either format.
 */
final class ReportDocument {

    /** One block of the document. */
    sealed interface Block permits Heading, Paragraph, Bullets, Table, Image {}

    record Heading(int level, String text) implements Block {}

    record Paragraph(String text) implements Block {}

    record Bullets(List<String> items) implements Block {}

    /** @param numericColumns which columns hold numbers (right-aligned) */
    record Table(List<String> header, List<List<String>> rows, List<Boolean> numericColumns) implements Block {}

    /** A chart, by the file name it is saved as next to the report. */
    record Image(String fileName, String caption) implements Block {}

    private final List<Block> blocks = new ArrayList<>();

    ReportDocument heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    ReportDocument paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    ReportDocument bullets(List<String> items) {
        if (!items.isEmpty()) {
            blocks.add(new Bullets(List.copyOf(items)));
        }
        return this;
    }

    ReportDocument table(TableBuilder table) {
        if (!table.rows.isEmpty()) {
            blocks.add(new Table(List.copyOf(table.header), table.rows.stream().map(List::copyOf).toList(),
                    List.copyOf(table.numeric)));
        }
        return this;
    }

    ReportDocument image(ChartFile chart) {
        blocks.add(new Image(chart.fileName(), chart.caption()));
        return this;
    }

    List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** Collects a table column by column, then row by row. */
    static final class TableBuilder {
        private final List<String> header = new ArrayList<>();
        private final List<Boolean> numeric = new ArrayList<>();
        private final List<List<String>> rows = new ArrayList<>();

        TableBuilder text(String heading) {
            header.add(heading);
            numeric.add(false);
            return this;
        }

        TableBuilder number(String heading) {
            header.add(heading);
            numeric.add(true);
            return this;
        }

        /** A row with one cell per column; missing cells are padded with {@link Numbers#NONE}. */
        TableBuilder row(List<String> cells) {
            List<String> row = new ArrayList<>(cells);
            while (row.size() < header.size()) {
                row.add(Numbers.NONE);
            }
            rows.add(row);
            return this;
        }
    }
}

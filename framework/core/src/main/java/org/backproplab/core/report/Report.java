package org.backproplab.core.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ReportWriter#write} wrote.
 *
 * @param directory the directory the report is in
 * @param files every file written, charts first, then {@link #markdown} and {@link #html}
 * @param markdown {@code report.md}, which refers to the charts beside it
 * @param html {@code report.html}, self-contained
 */
public record Report(Path directory, List<Path> files, Path markdown, Path html) {

    public Report {
        files = List.copyOf(files);
    }
}

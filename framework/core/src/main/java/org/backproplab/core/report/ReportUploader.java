package org.backproplab.core.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.tracking.RunLogger;
import org.backproplab.core.tracking.TrackingException;

/** Attaches a written report to an MLflow run, under the artifact directory {@code report/}. */
public final class ReportUploader {

    public static final String ARTIFACT_DIRECTORY = "report";

    private ReportUploader() {}

    /**
     * Uploads every file of {@code report}, keeping its place relative to the report's directory.
     *
     * @return the artifact paths, e.g. {@code report/report.html}
     * @throws TrackingException if the server refuses an upload
     */
    public static List<String> upload(RunLogger run, Report report) {
        List<String> uploaded = new ArrayList<>();
        for (Path file : report.files()) {
            Path relative = report.directory().relativize(file);
            String directory = relative.getParent() == null
                    ? ARTIFACT_DIRECTORY
                    : ARTIFACT_DIRECTORY + "/" + relative.getParent().toString().replace('\\', '/');
            run.logArtifact(directory, file);
            uploaded.add(directory + "/" + file.getFileName());
        }
        return uploaded;
    }
}

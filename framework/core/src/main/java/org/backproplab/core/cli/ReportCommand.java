package org.backproplab.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.backproplab.core.report.MlflowReportSource;
import org.backproplab.core.report.Report;
import org.backproplab.core.report.ReportData;
import org.backproplab.core.report.ReportWriter;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.TrackingTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab report RUN_ID}: rebuilds the charts and tables of a sweep (its parent run) or of one
 * run from what MLflow holds, so a sweep that ran elsewhere can be reported on here.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild the report (charts, Markdown, HTML) of a sweep or run from MLflow.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the sweep's parent run, or a single run")
    String runId;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "where to write it (default reports/report-RUN_ID)")
    Path output;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow server; default: $MLFLOW_TRACKING_URI, then the local server on reports/mlflow")
    String trackingUri;

    @Override
    public Integer call() {
        String uri = TrackingTarget.resolveTrackingUri(trackingUri, System.getenv(), null);
        if (uri == null) {
            uri = LocalServer.ensure(null, ConsoleMode.current().progress(System.out)).uri();
        }
        try (MlflowTracker tracker = MlflowTracker.connect(uri, MlflowCredentials.fromEnvironment(System.getenv()))) {
            ReportData data = MlflowReportSource.load(tracker, runId);
            Path directory = output != null ? output : LocalServer.ofProject().store().resolveSibling("report-" + runId);
            Report report = ReportWriter.write(data, directory);
            System.out.println("Report of " + data.trials().size() + " run(s): " + report.html());
            System.out.println("  " + report.markdown());
            return 0;
        }
    }
}

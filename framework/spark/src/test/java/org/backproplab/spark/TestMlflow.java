package org.backproplab.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowServer;
import org.backproplab.core.tracking.MlflowTracker;
import org.mlflow.api.proto.Service;

/** One real MLflow server (the pinned one of .lab/mlflow-venv) on a free loopback port for the test JVM. */
final class TestMlflow {

    private static MlflowServer server;

    private TestMlflow() {}

    static synchronized String uri() {
        if (server == null) {
            try {
                server = MlflowServer.start(MlflowServer.defaultExecutable(), Files.createTempDirectory("lab-spark-mlflow"), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server.uri();
    }

    static MlflowTracker tracker() {
        return MlflowTracker.connect(uri(), MlflowCredentials.none());
    }

    /** The trial runs of the newest sweep of MLflow experiment {@code experiment}, by trial number. */
    static Map<Integer, Service.Run> trials(String experiment) {
        try (MlflowTracker tracker = tracker()) {
            String experimentId = tracker.findExperiment(experiment).orElseThrow().getExperimentId();
            List<Service.Run> runs = tracker.searchRuns(experimentId, "");
            Service.Run parent = runs.stream().filter(run -> "parent".equals(tag(run, "lab.sweep.role")))
                    .max(java.util.Comparator.comparingLong(run -> run.getInfo().getStartTime())).orElseThrow();
            Map<Integer, Service.Run> trials = new HashMap<>();
            for (Service.Run run : runs) {
                if (parent.getInfo().getRunId().equals(tag(run, "mlflow.parentRunId"))) {
                    trials.put(Integer.parseInt(tag(run, "lab.trial.index")), run);
                }
            }
            return trials;
        }
    }

    static String tag(Service.Run run, String key) {
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(key))
                .map(Service.RunTag::getValue).findFirst().orElse(null);
    }
}

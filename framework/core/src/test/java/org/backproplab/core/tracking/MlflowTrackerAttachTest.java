package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Run;

/** Logging to runs that exist already: a resumed sweep's parent, a dead worker's trial. */
class MlflowTrackerAttachTest {

    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    private static String tag(Run run, String key) {
        return run.getData().getTagsList().stream().filter(tag -> tag.getKey().equals(key))
                .map(Service.RunTag::getValue).findFirst().orElse(null);
    }

    @Test
    void aFinishedRunCanBeReopenedLoggedToAndEndedAgain() {
        try (MlflowTracker tracker = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none())) {
            RunLogger first = tracker.startRun("attach", "parent", Map.of(), null);
            first.logMetric("sweep/finished_trials", 1, 1);
            first.finish(RunStatus.FINISHED);

            RunLogger again = tracker.attachRun(first.runId(), true);
            assertThat(tracker.getRun(first.runId()).getInfo().getStatus()).isEqualTo(Service.RunStatus.RUNNING);
            again.logMetric("sweep/finished_trials", 2, 2);
            again.setTags(Map.of("lab.sweep.result", "2 trials: 2 FINISHED"));
            again.finish(RunStatus.FINISHED);

            Run run = tracker.getRun(first.runId());
            assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
            assertThat(tag(run, "lab.sweep.result")).isEqualTo("2 trials: 2 FINISHED");
            assertThat(tracker.metricHistory(first.runId(), "sweep/finished_trials")).extracting(Service.Metric::getValue)
                    .containsExactly(1.0, 2.0);
        }
    }

    @Test
    void aRunLeftRunningIsEndedWithoutReopening() {
        try (MlflowTracker tracker = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none())) {
            String runId = tracker.startRun("attach", "trial", Map.of(), null).runId(); // its process "died"

            RunLogger attached = tracker.attachRun(runId, false);
            attached.setTags(Map.of("lab.error", "the worker process was killed by SIGKILL"));
            attached.finish(RunStatus.FAILED);

            Run run = tracker.getRun(runId);
            assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FAILED);
            assertThat(tag(run, "lab.error")).isEqualTo("the worker process was killed by SIGKILL");
            assertThatThrownBy(() -> tracker.attachRun("no such run", false)).isInstanceOf(TrackingException.class)
                    .hasMessageContaining("Not an MLflow run id");
            assertThatThrownBy(() -> tracker.attachRun("0123456789abcdef", false)).isInstanceOf(TrackingException.class)
                    .hasMessageContaining("has no run 0123456789abcdef");
        }
    }
}

package org.backproplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.backproplab.core.tracking.MlflowCredentials;
import org.backproplab.core.tracking.MlflowServerExtension;
import org.backproplab.core.tracking.MlflowTracker;
import org.backproplab.core.tracking.RunLogger;
import org.backproplab.core.training.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease of a new sweep's parent run, written into the run's creation rather than taken after it. */
class SweepLeaseTest {

    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    @Test
    void aParentCreatedWithItsClaimShowsTheLiveLeaseFromItsCreationAndRefusesAnotherOwnerUntilReleased() {
        try (MlflowTracker tracker = MlflowTracker.connect(MLFLOW.uri(), MlflowCredentials.none())) {
            SweepLease.Claim claim = SweepLease.claimNewRun();
            RunLogger parent = tracker.startRun("lease", "sweep", Map.of(SweepLease.TAG, claim.tagValue()), null);

            // The first read of the run, before this process has held anything, already shows its lease, alive.
            SweepLease.Holder shown = SweepLease.current(tracker.getRun(parent.runId())).orElseThrow();
            assertThat(shown.token()).isEqualTo(claim.holder().token());
            assertThat(shown.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(shown.isAlive(System.currentTimeMillis())).isTrue();

            SweepLease lease = claim.hold(tracker, parent.runId(), () -> { });
            // Another owner (a --resume of the sweep: its own token) is refused before it writes anything.
            assertThatThrownBy(() -> SweepLease.acquire(tracker, parent.runId(), "lease-sweep", () -> { }))
                    .isInstanceOf(UserFacingException.class)
                    .hasMessageContaining("sweep lease-sweep (parent run " + parent.runId() + ") is being run by process "
                            + ProcessHandle.current().pid());
            assertThat(SweepLease.current(tracker.getRun(parent.runId())).orElseThrow().token())
                    .as("the refused owner left the lease as it was").isEqualTo(claim.holder().token());

            lease.close();
            assertThat(SweepLease.current(tracker.getRun(parent.runId())).orElseThrow().isAlive(System.currentTimeMillis()))
                    .as("released: a --resume may start at once").isFalse();
        }
    }
}

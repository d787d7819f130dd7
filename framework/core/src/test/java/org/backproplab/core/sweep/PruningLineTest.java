package org.backproplab.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The pruning line over real loopback sockets: a trial's reports reach the sweep's pruner with its number, step and
 * value, its answers come back; a wrong token or a line that is gone leaves the trial training, unpruned.
 */
class PruningLineTest {

    private final List<String> reports = new CopyOnWriteArrayList<>();

    /** Prunes trial 2 from step 40 on. */
    private String answer(int index, long step, double value) {
        reports.add(index + " " + step + " " + value);
        return index == 2 && step >= 40 ? "0.1 at step " + step + " is worse than the median 0.5" : null;
    }

    @Test
    void reportsReachThePrunerAndItsAnswersComeBack() throws IOException {
        try (PruningLine line = PruningLine.open("127.0.0.1", this::answer);
                PruningLine.Reporter first = PruningLine.reporter(line.address(), 1);
                PruningLine.Reporter second = PruningLine.reporter(line.address(), 2)) {
            assertThat(first.report(20, 0.75)).isNull();
            assertThat(second.report(20, 0.25)).isNull();
            assertThat(first.report(40, 0.5)).isNull();
            assertThat(second.report(40, 0.1)).isEqualTo("0.1 at step 40 is worse than the median 0.5");
        }
        assertThat(reports).containsExactly("1 20 0.75", "2 20 0.25", "1 40 0.5", "2 40 0.1");
        assertThat(new PruningLine.Address("driver", 4040, "secret")).hasToString("driver:4040");
    }

    @Test
    void aTrialWithAnotherTokenIsNotAnsweredAndTrainsOn() throws IOException {
        try (PruningLine line = PruningLine.open("127.0.0.1", this::answer)) {
            PruningLine.Address forged = new PruningLine.Address("127.0.0.1", line.address().port(), "0".repeat(32));
            try (PruningLine.Reporter reporter = PruningLine.reporter(forged, 2)) {
                assertThat(reporter.report(40, 0.1)).as("not pruned").isNull();
                assertThat(reporter.report(60, 0.1)).isNull();
            }
        }
        assertThat(reports).as("the pruner heard nothing").isEmpty();
    }

    /** Repeated: a connection made just after close() once reached an accept still in progress, and was answered. */
    @RepeatedTest(200)
    void aTrialWhoseSweepIsGoneTrainsOn() throws IOException {
        PruningLine.Address address;
        try (PruningLine line = PruningLine.open("127.0.0.1", this::answer)) {
            address = line.address();
        }
        try (PruningLine.Reporter reporter = PruningLine.reporter(address, 2)) {
            assertThat(reporter.report(40, 0.1)).isNull();
        }
        assertThat(reports).isEmpty();
    }
}

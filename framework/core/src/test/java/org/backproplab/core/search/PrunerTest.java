package org.backproplab.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrunerTest {

    @Test
    void theMedianPrunerStopsATrialWorseThanTheCompletedTrialsMedianAtTheSameStep() {
        MedianPruner pruner = new MedianPruner(2, 10, 1, false);
        for (int trial = 0; trial < 3; trial++) {
            pruner.report(trial, 10, 1.0 + trial); // 1, 2, 3 at step 10
            pruner.report(trial, 20, 0.5 + trial);
            pruner.completed(trial);
        }
        assertThat(pruner.report(3, 5, 9.0)).as("in the warm-up").isNull();
        assertThat(pruner.report(3, 10, 1.9)).as("better than the median 2").isNull();
        assertThat(pruner.report(3, 20, 1.6)).as("best so far 1.6 vs median 1.5").contains("median 1.5");
        assertThat(pruner.report(4, 15, 2.5)).as("others' last values before step 15: 1, 2, 3").contains("median 2");
    }

    @Test
    void theMedianPrunerWaitsForItsStartUpTrialsAndMaximisesWhenAsked() {
        MedianPruner pruner = new MedianPruner(2, 0, 1, true);
        pruner.report(0, 10, 0.9);
        pruner.completed(0);
        assertThat(pruner.report(1, 10, 0.1)).as("only one completed trial").isNull();
        pruner.completed(1);
        assertThat(pruner.report(2, 10, 0.4)).as("below the median 0.5 of accuracy").isNotNull();
        assertThat(pruner.report(3, 10, 0.6)).isNull();
    }

    @Test
    void theMedianPrunerJudgesOncePerInterval() {
        MedianPruner pruner = new MedianPruner(0, 0, 10, false);
        for (long step = 1; step <= 30; step++) {
            pruner.report(0, step, 1.0);
        }
        pruner.completed(0);
        assertThat(pruner.report(1, 10, 5.0)).isNotNull();
        assertThat(pruner.report(1, 11, 5.0)).as("step 11 is not the first report of its interval").isNull();
        assertThat(pruner.report(1, 20, 5.0)).isNotNull();
    }

    @Test
    void ashaStopsATrialBelowTheTopFractionOfItsRungAndRecordsItThere() {
        // Rungs at 10, 30, 90 steps; a trial is judged once per rung, against the trials that reached it before.
        AshaPruner pruner = new AshaPruner(10, 3, 0, true);
        assertThat(pruner.report(0, 10, 0.50)).as("the first at its rung").isNull();
        assertThat(pruner.report(1, 10, 0.70)).isNull();
        assertThat(pruner.report(2, 10, 0.55)).as("below the 2/3 quantile of 0.50, 0.70: 0.633").contains("rung 1");
        assertThat(pruner.report(1, 20, 0.10)).as("between rungs").isNull();
        assertThat(pruner.report(1, 30, 0.80)).as("the first at rung 2").isNull();
        assertThat(pruner.report(3, 35, 0.75)).as("reaches rung 2 at once, below 0.80").contains("rung 2 (step 30)");
        // As Ray's: a trial that skipped a lower rung is recorded there at its next report, with that value.
        assertThat(pruner.report(3, 36, 0.10)).contains("rung 1 (step 10)");
        assertThat(pruner.report(3, 37, 0.10)).as("judged at every rung it reached").isNull();
    }

    @Test
    void ashaMinimisesAndStopsAddingRungsAtItsMaximum() {
        AshaPruner pruner = new AshaPruner(10, 2, 20, false);
        pruner.report(0, 10, 1.0);
        pruner.report(0, 20, 0.5);
        assertThat(pruner.report(1, 10, 2.0)).as("a higher loss than the only one at rung 1").contains("higher");
        assertThat(pruner.report(2, 40, 0.9)).as("recorded at rung 2 (step 20), above 0.5").isNotNull();
        assertThat(pruner.report(3, 40, 0.4)).isNull();
    }
}

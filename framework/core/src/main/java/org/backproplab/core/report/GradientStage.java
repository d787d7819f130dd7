package org.backproplab.core.report;

import java.util.Optional;

/** When the gradient norms of a trial are read: as initialised, or after training. */
enum GradientStage {
    INITIALISATION("gradient-norms.png", "at initialisation", "first logged step"),
    END("gradient-norms-end.png", "at the end of training", "last logged step");

    private final String fileName;
    private final String when;
    private final String step;

    GradientStage(String fileName, String when, String step) {
        this.fileName = fileName;
        this.when = when;
        this.step = step;
    }

    String fileName() {
        return fileName;
    }

    /** E.g. "at initialisation". */
    String when() {
        return when;
    }

    /** Which step that is, e.g. "first logged step". */
    String stepDescription() {
        return step;
    }

    Optional<GradientProfile> profile(TrialData trial) {
        return this == INITIALISATION ? GradientProfile.atInitialisation(trial) : GradientProfile.atEnd(trial);
    }
}

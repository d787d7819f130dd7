package org.backproplab.core.config;

import jakarta.validation.constraints.Pattern;
import org.backproplab.spi.Param;

/** The scalar keys at the top of an experiment file, bound like any parameter record. */
record ExperimentHeader(
        @Param("the experiment's name, used for runs and MLflow")
                @Pattern(
                        regexp = "[A-Za-z0-9][A-Za-z0-9_.-]*",
                        message = "must start with a letter or digit and contain only letters, digits, "
                                + "'_', '.' and '-'")
                String name,
        @Param(value = "the random seed of every run", defaultValue = "42") long seed,
        @Param(value = "free text about the experiment", defaultValue = Param.NONE) String description) {}

package org.backproplab.core.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core's packages form layers, each importing only those below it:
 * cli → sweep → run → training → config → plugin, report → tracking. A back-edge (a lower package
 * naming a class of a higher one) fails here, naming both classes.
 */
class LayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.backproplab.core");

    @Test
    void noPackageImportsOneAboveIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("org.backproplab.core.cli..")
                .layer("sweep").definedBy("org.backproplab.core.sweep..")
                .layer("run").definedBy("org.backproplab.core.run..")
                .layer("training").definedBy("org.backproplab.core.training..")
                .layer("config").definedBy("org.backproplab.core.config..")
                .layer("plugin").definedBy("org.backproplab.core.plugin..")
                .layer("report").definedBy("org.backproplab.core.report..")
                .layer("tracking").definedBy("org.backproplab.core.tracking..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("sweep").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("run").mayOnlyBeAccessedByLayers("cli", "sweep")
                .whereLayer("training").mayOnlyBeAccessedByLayers("cli", "sweep", "run")
                .whereLayer("config").mayOnlyBeAccessedByLayers("cli", "sweep", "run", "training")
                .whereLayer("plugin").mayOnlyBeAccessedByLayers("cli", "sweep", "run", "training", "config")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli", "sweep", "run", "training", "config")
                .whereLayer("tracking").mayOnlyBeAccessedByLayers("cli", "sweep", "run", "training", "config", "report")
                .check(CORE);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.backproplab.core.(*)..").should().beFreeOfCycles().check(CORE);
    }
}

package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ./lab plugins}: what is installed, documented from the components themselves. */
class PluginsCommandTest {

    @Test
    void listsEveryComponentByKindWithItsParametersAndJar() {
        LabProcess.Result result = LabProcess.lab("plugins");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out())
                .containsPattern("Datasets \\(\\d+\\)\n").containsPattern("\nModels \\(\\d+\\)\n")
                .containsPattern("\nLosses \\(\\d+\\)\n").containsPattern("\nOptimizers \\(\\d+\\)\n")
                .contains("optimizer sgd  (from backprop-lab-plugin-optimizers-")
                .containsPattern("\n    lr +number +0\\.01 +> 0 +learning rate")
                .containsPattern("\n    clip_grad +number +none +> 0 ")
                .contains("dataset xor  (from backprop-lab-plugin-datasets-").contains("  no parameters")
                .containsPattern("\n    activation +sigmoid\\|tanh\\|relu\\|leaky_relu\\|softsign\\|gelu\\|identity +relu +hidden-layer activation")
                .containsPattern("\n    hidden +list of integer +none +each > 0 ")
                .containsPattern("\nSchedules \\(4\\)\n").contains("schedule cosine  (from backprop-lab-plugin-schedules-")
                .containsPattern("\nMetrics \\(8\\)\n").contains("metric f1  (from backprop-lab-plugin-metrics-")
                .containsPattern("\\d+ components from 6 plugins; ./lab plugins NAME shows one");
        assertThat(result.out().indexOf("Datasets")).isLessThan(result.out().indexOf("Models"));
        assertThat(result.out().indexOf("dataset fashion-mnist")).isLessThan(result.out().indexOf("dataset linear"));
    }

    @Test
    void showsOneComponentByNameAndEveryKindThatHasIt() {
        LabProcess.Result adam = LabProcess.lab("plugins", "adam");
        assertThat(adam.exitCode()).as(adam.all()).isZero();
        assertThat(adam.out()).startsWith("optimizer adam  (from backprop-lab-plugin-optimizers-")
                .contains("Adam").containsPattern("beta2 +number +0\\.999 +>= 0, < 1 ").doesNotContain("sgd");

        LabProcess.Result linear = LabProcess.lab("plugins", "linear");
        assertThat(linear.exitCode()).as(linear.all()).isZero();
        assertThat(linear.out()).contains("dataset linear  (from ").contains("model linear  (from ");
    }

    @Test
    void aNearMissSuggestsTheNameAndAnUnknownOneHintsAtPluginDirectories() {
        LabProcess.Result nearMiss = LabProcess.lab("plugins", "adamm");
        assertThat(nearMiss.exitCode()).isEqualTo(2);
        assertThat(nearMiss.out()).isEmpty();
        assertThat(nearMiss.err()).startsWith("error: no component is named 'adamm'; did you mean 'adam'?");

        LabProcess.Result unknown = LabProcess.lab("plugins", "transformer");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).doesNotContain("did you mean").contains("--plugins DIR or LAB_PLUGIN_PATH");
    }
}

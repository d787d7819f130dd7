package org.backproplab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README's table of components is what {@code ./lab plugins --markdown} prints, so it cannot drift. */
class ReadmeComponentTableTest {

    private static final String START = "<!-- components:start -->\n";
    private static final String END = "<!-- components:end -->";

    @Test
    void theReadmesComponentTableIsWhatLabPluginsPrints() throws IOException {
        String readme = Files.readString(LabProcess.projectRoot().resolve("README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md marks its component table with " + START.strip()).isNotNegative();
        assertThat(end).isGreaterThan(start);

        LabProcess.Result printed = LabProcess.lab("plugins", "--markdown");
        assertThat(printed.exitCode()).as(printed.all()).isZero();
        assertThat(readme.substring(start + START.length(), end))
                .as("regenerate the table with ./lab plugins --markdown").isEqualTo(printed.out());
    }
}

package org.backproplab.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SPI version plugins are checked against cannot drift from the artifact they compile against. */
class SpiVersionTest {

    @Test
    void spiVersionIsTheMajorAndMinorOfTheArtifactVersion() {
        String artifactVersion = System.getProperty("lab.spi.artifact.version");
        assertThat(artifactVersion).as("set by the spi module's surefire configuration").isNotBlank();
        String[] numbers = artifactVersion.split("[.-]");
        assertThat(Plugin.SPI_VERSION).isEqualTo(numbers[0] + "." + numbers[1]);
    }

    @Test
    void theManifestAttributeIsAValidManifestName() {
        // Manifest names are at most 70 characters of letters, digits, '-' and '_'.
        assertThat(Plugin.SPI_VERSION_ATTRIBUTE).matches("[A-Za-z0-9][A-Za-z0-9_-]{0,69}");
    }
}

package org.backproplab.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.backproplab.spi.Plugin;
import org.junit.jupiter.api.Test;

class SpiVersionTest {

    private static SpiVersion version(String text) {
        return SpiVersion.parse(text).orElseThrow();
    }

    @Test
    void readsMajorAndMinorFromArtifactVersions() {
        assertThat(version("0.1.0-SNAPSHOT")).isEqualTo(new SpiVersion(0, 1));
        assertThat(version("1.2")).isEqualTo(new SpiVersion(1, 2));
        assertThat(version(" 2.10.3 ")).isEqualTo(new SpiVersion(2, 10));
        assertThat(SpiVersion.parse("1")).isEmpty();
        assertThat(SpiVersion.parse("one.two")).isEmpty();
        assertThat(SpiVersion.parse("")).isEmpty();
        assertThat(SpiVersion.current()).hasToString(Plugin.SPI_VERSION);
    }

    @Test
    void fromOnePointZeroACoreLoadsPluginsOfItsMajorUpToItsMinor() {
        SpiVersion core = version("1.2");
        assertThat(core.canLoad(version("1.0"))).isTrue();
        assertThat(core.canLoad(version("1.2.7"))).isTrue();
        assertThat(core.canLoad(version("1.3"))).as("a newer minor may use what this core lacks").isFalse();
        assertThat(core.canLoad(version("2.0"))).isFalse();
        assertThat(core.canLoad(version("0.2"))).isFalse();
    }

    @Test
    void beforeOnePointZeroOnlyTheSameMinorLoads() {
        SpiVersion core = version("0.2");
        assertThat(core.canLoad(version("0.2.5"))).isTrue();
        assertThat(core.canLoad(version("0.1"))).isFalse();
        assertThat(core.canLoad(version("0.3"))).isFalse();
    }
}

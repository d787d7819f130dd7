package org.backproplab.core.plugin;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backproplab.spi.Plugin;

/**
 * A version of the plugin SPI, {@code major.minor}, and the rule for which plugins this core can
 * load: the same major version and a minor version no later than the core's ({@code 1.2} loads
 * plugins built against {@code 1.0} to {@code 1.2}); before 1.0 the minor version must match, since
 * every 0.x release may change the SPI.
 *
 * @param major the major version
 * @param minor the minor version
 */
public record SpiVersion(int major, int minor) {

    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:[.-].*)?");

    /** The SPI this core provides: {@link Plugin#SPI_VERSION}. */
    public static SpiVersion current() {
        return parse(Plugin.SPI_VERSION).orElseThrow(
                () -> new IllegalStateException("Plugin.SPI_VERSION is not major.minor: " + Plugin.SPI_VERSION));
    }

    /**
     * The version in a manifest entry or artifact version: {@code 0.1}, {@code 0.1.0},
     * {@code 0.1.0-SNAPSHOT}; empty when the text does not start with {@code major.minor}.
     */
    public static Optional<SpiVersion> parse(String text) {
        Matcher matcher = VERSION.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SpiVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }

    /** Whether a core providing this SPI can load a plugin compiled against {@code compiledAgainst}. */
    public boolean canLoad(SpiVersion compiledAgainst) {
        if (major != compiledAgainst.major) {
            return false;
        }
        return major == 0 ? minor == compiledAgainst.minor : compiledAgainst.minor <= minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}

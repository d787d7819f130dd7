package org.backproplab.core.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, which includes PyTorch's native memory that the JVM does not see. */
public final class ResidentMemory {

    private ResidentMemory() {}

    /** VmRSS in MiB from /proc, or NaN where there is no /proc. */
    public static double megabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}

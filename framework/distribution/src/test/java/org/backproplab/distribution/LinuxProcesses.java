package org.backproplab.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds and signals processes through /proc and kill(1). Not {@link ProcessHandle}: its descendants and
 * arguments rely on process start times, which a restored VM snapshot (as CI machines may be) gets wrong.
 */
final class LinuxProcesses {

    private LinuxProcesses() {}

    /** The ids of the processes whose command line contains every one of {@code parts} as whole arguments. */
    static List<Long> withArguments(String... parts) {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.filter(path -> path.getFileName().toString().matches("\\d+")).toList()) {
                List<String> arguments = arguments(entry);
                if (!arguments.isEmpty() && arguments.containsAll(Arrays.asList(parts))) {
                    found.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /** The command line of the process whose /proc entry is {@code entry}; empty if it is gone or unreadable. */
    private static List<String> arguments(Path entry) {
        try {
            String commandLine = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
            return commandLine.isEmpty() ? List.of() : Arrays.asList(commandLine.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Sends {@code signal} (e.g. {@code KILL}) to process {@code pid}. */
    static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }
}

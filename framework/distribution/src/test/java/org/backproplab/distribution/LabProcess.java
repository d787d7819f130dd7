package org.backproplab.distribution;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.backproplab.core.cli.LabCommand;

/** Runs {@code ./lab} in-process, as the launcher would, and captures what it prints. */
final class LabProcess {

    /** The exit code and both output streams of one command. */
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private LabProcess() {}

    static Path projectRoot() {
        return Path.of(System.getProperty("lab.project.root", "../..")).toAbsolutePath().normalize();
    }

    static Path experiment(String fileName) {
        return projectRoot().resolve("experiments").resolve(fileName);
    }

    /** Runs the command line with standard output and error captured. Not thread-safe (one trial per JVM anyway). */
    static synchronized Result lab(String... arguments) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            int exitCode = LabCommand.execute(arguments);
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}

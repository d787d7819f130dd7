package org.backproplab.core.cli;

import picocli.CommandLine.Command;

/** {@code ./lab bench ...}: benchmarks of Backprop Lab itself on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks of Backprop Lab on this machine.",
        subcommands = {BenchStepCommand.class})
final class BenchCommand {}

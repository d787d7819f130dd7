package org.backproplab.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.backproplab.core.config.ExperimentSchema;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.run.ConsoleMode;
import org.backproplab.core.training.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./lab schema [-o FILE]}: the JSON Schema of experiment files, for editors, from the installed plugins. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Write the JSON Schema (draft 2020-12) of experiment files for the installed plugins.",
            "Editors with the YAML language server check and complete a file whose first line is",
            "  # yaml-language-server: $schema=./experiment.schema.json"})
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path output;

    @Override
    public Integer call() {
        String schema = ExperimentSchema.json(plugins.createInjector().getInstance(ComponentCatalog.class));
        if (output == null) {
            System.out.print(schema);
            System.out.flush();
            return 0;
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, schema, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + output + ": " + e.getMessage(), e);
        }
        ConsoleMode.current().progress(System.out).println("Wrote the experiment schema to " + output);
        return 0;
    }
}

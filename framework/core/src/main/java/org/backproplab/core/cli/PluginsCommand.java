package org.backproplab.core.cli;

import com.google.inject.Injector;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.backproplab.core.config.NameSuggester;
import org.backproplab.core.config.ParameterSpec;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.core.plugin.ComponentKind;
import org.backproplab.core.plugin.LoadedPlugin;
import org.backproplab.core.plugin.PluginDirectories;
import org.backproplab.core.plugin.PluginRegistry;
import org.backproplab.spi.ComponentFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ./lab plugins [NAME]}: every installed component by kind, with its parameters (type,
 * default, constraints, description) and the jar it came from; or the components named NAME.
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the installed components and their parameters, or show the one named NAME.")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "a component's type, e.g. mlp")
    String name;

    @picocli.CommandLine.Option(names = "--markdown",
            description = "print every component as one Markdown table (the README's component table is this output)")
    boolean markdown;

    @Override
    public Integer call() {
        Injector injector = plugins.createInjector();
        ComponentCatalog catalog = injector.getInstance(ComponentCatalog.class);
        PluginRegistry registry = injector.getInstance(PluginRegistry.class);
        PrintStream out = System.out;
        if (markdown) {
            out.print(markdownTable(catalog));
            return 0;
        }
        if (name == null) {
            listAll(catalog, registry, out);
            return 0;
        }
        boolean found = false;
        for (ComponentKind kind : ComponentKind.values()) {
            ComponentFactory<?> factory = catalog.factories(kind).get(name);
            if (factory != null) {
                out.print(found ? System.lineSeparator() : "");
                describe(kind, factory, registry, out);
                found = true;
            }
        }
        if (!found) {
            Set<String> names = new LinkedHashSet<>();
            for (ComponentKind kind : ComponentKind.values()) {
                names.addAll(catalog.factories(kind).keySet());
            }
            Optional<String> nearest = NameSuggester.nearest(name, names);
            System.err.println("error: no component is named '" + name + "'"
                    + nearest.map(candidate -> "; did you mean '" + candidate + "'?").orElse("")
                    + " (./lab plugins lists them all; a component of a plugin jar needs --plugins DIR or "
                    + PluginDirectories.ENVIRONMENT_VARIABLE + ")");
            return LabCommand.EXIT_BAD_INPUT;
        }
        return 0;
    }

    private static void listAll(ComponentCatalog catalog, PluginRegistry registry, PrintStream out) {
        int components = 0;
        for (ComponentKind kind : ComponentKind.values()) {
            Map<String, ComponentFactory<?>> factories = catalog.factories(kind);
            out.println(plural(kind) + " (" + factories.size() + ")");
            out.println();
            for (ComponentFactory<?> factory : factories.values()) {
                describe(kind, factory, registry, out);
                out.println();
                components++;
            }
        }
        out.println(components + " components from " + registry.plugins().size()
                + " plugins; ./lab plugins NAME shows one, ./lab schema writes them as a JSON schema for editors.");
    }

    /** Every component as a row of kind, type, and its parameters with their defaults and meaning. */
    static String markdownTable(ComponentCatalog catalog) {
        StringBuilder table = new StringBuilder("| kind | type | what it is | parameters (default) |\n|---|---|---|---|\n");
        for (ComponentKind kind : ComponentKind.values()) {
            for (ComponentFactory<?> factory : catalog.factories(kind).values()) {
                List<String> parameters = new ArrayList<>();
                for (ParameterSpec spec : ParameterSpec.of(factory.parametersType())) {
                    String constraints = spec.constraints().isEmpty() ? "" : ", " + String.join(", ", spec.constraints());
                    parameters.add("`" + spec.name() + "` (" + defaultText(spec) + constraints + "): " + spec.description());
                }
                table.append("| ").append(kind.noun()).append(" | `").append(factory.name()).append("` | ")
                        .append(cell(factory.description())).append(" | ")
                        .append(parameters.isEmpty() ? "none" : cell(String.join("; ", parameters))).append(" |\n");
            }
        }
        return table.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** One component: its kind, name and jar, its description, and a table of its parameters. */
    static void describe(ComponentKind kind, ComponentFactory<?> factory, PluginRegistry registry, PrintStream out) {
        String jar = registry.owner(kind, factory.name()).map(LoadedPlugin::source).orElse("unknown jar");
        out.println(kind.noun() + " " + factory.name() + "  (from " + jar + ")");
        out.println("  " + factory.description());
        List<ParameterSpec> specs = ParameterSpec.of(factory.parametersType());
        if (specs.isEmpty()) {
            out.println("  no parameters");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"parameter", "type", "default", "constraints", "description"});
        for (ParameterSpec spec : specs) {
            rows.add(new String[] {spec.name(), typeText(spec.type()), defaultText(spec),
                String.join(", ", spec.constraints()), spec.description()});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("   ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(i == row.length - 1 ? row[i] : pad(row[i], widths[i]));
                if (i < row.length - 1) {
                    line.append(' ');
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String defaultText(ParameterSpec spec) {
        if (spec.required()) {
            return "required";
        }
        return spec.defaultValue() == null ? "none" : spec.defaultValue();
    }

    /** The type as the experiment file sees it: {@code integer}, {@code number}, {@code list of integer}, {@code a|b|c}. */
    static String typeText(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
            return "list of " + typeText(parameterized.getActualTypeArguments()[0]);
        }
        if (!(type instanceof Class<?> raw)) {
            return type.getTypeName();
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
            }
            return String.join("|", names);
        }
        if (raw.isRecord()) {
            return "mapping";
        }
        String scalar = ParameterSpec.scalarTypeName(raw);
        return scalar != null ? scalar : raw.getSimpleName();
    }

    private static String plural(ComponentKind kind) {
        String noun = kind.noun();
        return Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + (noun.endsWith("s") ? "es" : "s");
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}

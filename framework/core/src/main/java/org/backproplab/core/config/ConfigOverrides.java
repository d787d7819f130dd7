package org.backproplab.core.config;

import java.util.List;

/**
 * Applies {@code --set path=value} overrides to a freshly read tree, before binding, so that an
 * overridden value is checked exactly like one written in the file.
 *
 * <p>The value is YAML ({@code 0.1}, {@code relu}, {@code [4, 4]}, {@code {type: adam}}); it replaces
 * the value at the dotted path, creating the mappings on the way. Problems in an override are placed
 * in the pseudo-file {@code --set path=value}, line 1, at their column within {@code path=value}.
 */
final class ConfigOverrides {

    private static final String EXAMPLE = "expected path=value, e.g. optimizer.lr=0.1";

    private ConfigOverrides() {}

    /** The pseudo-file that problems in an override are placed in. */
    static String fileOf(String override) {
        return "--set " + override;
    }

    static void apply(ConfigMap root, List<String> overrides, ProblemCollector problems) {
        for (String override : overrides) {
            apply(root, override, problems);
        }
    }

    private static void apply(ConfigMap root, String override, ProblemCollector problems) {
        String file = fileOf(override);
        int equals = override.indexOf('=');
        if (equals < 0) {
            problems.add(new SourcePosition(file, 1, 1), "", "no '='; " + EXAMPLE);
            return;
        }
        String path = override.substring(0, equals);
        if (path.isBlank()) {
            problems.add(new SourcePosition(file, 1, 1), "", "empty path; " + EXAMPLE);
            return;
        }
        String[] keys = path.split("\\.", -1);
        int[] columns = new int[keys.length];
        int column = 1;
        for (int i = 0; i < keys.length; i++) {
            columns[i] = column;
            if (keys[i].isBlank()) {
                problems.add(new SourcePosition(file, 1, column), "", "empty key in path '" + path + "'; " + EXAMPLE);
                return;
            }
            column += keys[i].length() + 1;
        }
        ConfigNode value = YamlTreeReader.read(
                new YamlTreeReader.Origin(file, equals + 1), override.substring(equals + 1), problems);
        if (value == null) {
            return;
        }
        ConfigMap parent = root;
        String parentPath = "";
        for (int i = 0; i < keys.length - 1; i++) {
            String childPath = ConfigPath.child(parentPath, keys[i]);
            ConfigNode child = parent.get(keys[i]);
            if (child == null || child instanceof ConfigScalar scalar && scalar.isNull()) {
                child = new ConfigMap(new SourcePosition(file, 1, columns[i]));
                parent.put(keys[i], new SourcePosition(file, 1, columns[i]), child);
            } else if (!(child instanceof ConfigMap)) {
                problems.add(new SourcePosition(file, 1, columns[i]), childPath, "cannot set " + path
                        + ": this is " + child.describe() + ", not a mapping");
                return;
            }
            parent = (ConfigMap) child;
            parentPath = childPath;
        }
        int last = keys.length - 1;
        parent.put(keys[last], new SourcePosition(file, 1, columns[last]), value);
    }
}

package org.backproplab.core.cli;

import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.training.UserFacingException;

/**
 * {@code --sweep PATH=V1,V2,...} (Hydra's multirun syntax): a grid over comma-separated values, turned into one
 * {@code --set sweep=...} override, so the sweep is checked, run and recorded (its {@code lab.command} too) exactly
 * as one written in the file.
 */
final class SweepOption {

    private SweepOption() {}

    /**
     * {@code sweep={method: grid, parameters: {PATH: [V1, V2], ...}}} for the given options, in their order.
     *
     * @throws UserFacingException (exit 2) for an option that is not {@code PATH=V1,V2,...}
     */
    static String asOverride(List<String> options) {
        List<String> problems = new ArrayList<>();
        StringBuilder parameters = new StringBuilder();
        for (String option : options) {
            int equals = option.indexOf('=');
            String path = equals < 0 ? "" : option.substring(0, equals).trim();
            List<String> values = equals < 0 ? List.of() : topLevelItems(option.substring(equals + 1));
            if (path.isEmpty() || !path.matches("[A-Za-z0-9_.]+") || values.isEmpty() || values.contains("")) {
                problems.add("--sweep " + option + ": expected PATH=V1,V2,... such as optimizer.lr=0.1,0.01 (values are"
                        + " YAML, a list in brackets stays one value: model.hidden=[64],[64,64])");
                continue;
            }
            parameters.append(parameters.length() == 0 ? "" : ", ").append(path).append(": [")
                    .append(String.join(", ", values)).append(']');
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException(String.join("\n", problems));
        }
        return "sweep={method: grid, parameters: {" + parameters + "}}";
    }

    /** The comma-separated items of {@code text}, commas inside brackets, braces or quotes excepted. */
    static List<String> topLevelItems(String text) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(item.toString().trim());
                item.setLength(0);
                continue;
            }
            item.append(c);
        }
        items.add(item.toString().trim());
        return items;
    }
}

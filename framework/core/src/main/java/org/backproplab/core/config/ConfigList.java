package org.backproplab.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A YAML sequence. */
record ConfigList(SourcePosition position, List<ConfigNode> items) implements ConfigNode {

    ConfigList {
        items = List.copyOf(items);
    }

    @Override
    public String describe() {
        return "a list";
    }

    @Override
    public Object toPlain() {
        List<Object> plain = new ArrayList<>(items.size());
        for (ConfigNode item : items) {
            plain.add(item.toPlain());
        }
        return Collections.unmodifiableList(plain);
    }
}

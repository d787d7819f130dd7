package org.backproplab.core.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A YAML mapping with string keys, in file order. Mutable only so that {@code --set} overrides can
 * be applied to a freshly read tree.
 */
final class ConfigMap implements ConfigNode {

    /** One key and its value, with the key's own position for "unknown key" messages. */
    record Entry(String key, SourcePosition keyPosition, ConfigNode value) {}

    private final SourcePosition position;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    ConfigMap(SourcePosition position) {
        this.position = position;
    }

    @Override
    public SourcePosition position() {
        return position;
    }

    boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The value of a key, or null when the key is absent. */
    ConfigNode get(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    Collection<Entry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Sets a key; a key that exists keeps its place in the order. */
    void put(String key, SourcePosition keyPosition, ConfigNode value) {
        entries.put(key, new Entry(key, keyPosition, value));
    }

    /** A copy with only the given keys (those present). */
    ConfigMap only(Collection<String> keys) {
        ConfigMap copy = new ConfigMap(position);
        entries.values().stream().filter(e -> keys.contains(e.key())).forEach(e -> copy.entries.put(e.key(), e));
        return copy;
    }

    /** A copy without one key. */
    ConfigMap without(String key) {
        ConfigMap copy = new ConfigMap(position);
        entries.values().stream().filter(e -> !e.key().equals(key)).forEach(e -> copy.entries.put(e.key(), e));
        return copy;
    }

    @Override
    public String describe() {
        return "a mapping";
    }

    @Override
    public Object toPlain() {
        Map<String, Object> plain = new LinkedHashMap<>();
        entries.values().forEach(e -> plain.put(e.key(), e.value().toPlain()));
        return Collections.unmodifiableMap(plain);
    }
}

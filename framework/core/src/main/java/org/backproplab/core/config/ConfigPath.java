package org.backproplab.core.config;

/** Builds the dotted paths that name values in messages: {@code optimizer.lr}, {@code model.hidden[0]}. */
final class ConfigPath {

    private ConfigPath() {}

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }
}

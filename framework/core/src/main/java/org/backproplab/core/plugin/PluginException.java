package org.backproplab.core.plugin;

/** Plugins that cannot be used together, e.g. two components with one name. Printed without a stack trace. */
public final class PluginException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }
}

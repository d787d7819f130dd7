package org.backproplab.core.plugin;

/** The kinds of component an experiment is made of; each is one block of the experiment file. */
public enum ComponentKind {
    DATASET("dataset"),
    MODEL("model"),
    LOSS("loss"),
    OPTIMIZER("optimizer");

    private final String key;

    ComponentKind(String key) {
        this.key = key;
    }

    /** The top-level key of this kind's block in the experiment file. */
    public String key() {
        return key;
    }
}

package org.backproplab.core.config;

/**
 * A scalar with its YAML type.
 *
 * @param position where it starts
 * @param kind its type under the YAML core schema (or its explicit standard tag)
 * @param text the text as written, for strings and messages
 * @param value the typed value: null, Boolean, Long (or BigInteger when too large), Double or String
 */
record ConfigScalar(SourcePosition position, Kind kind, String text, Object value) implements ConfigNode {

    /** The YAML types of scalars. */
    enum Kind {
        NULL,
        BOOLEAN,
        INTEGER,
        FLOAT,
        STRING
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    /** Longer values are cut in messages: the position already says where the whole of it is. */
    private static final int DESCRIBED_LENGTH = 60;

    @Override
    public String describe() {
        return switch (kind) {
            case NULL -> "null";
            case STRING -> "'" + shortened(text) + "'";
            default -> shortened(text);
        };
    }

    private static String shortened(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= DESCRIBED_LENGTH ? oneLine : oneLine.substring(0, DESCRIBED_LENGTH - 3) + "...";
    }

    @Override
    public Object toPlain() {
        return value;
    }
}

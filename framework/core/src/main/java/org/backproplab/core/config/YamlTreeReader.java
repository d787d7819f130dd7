package org.backproplab.core.config;

import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML text into a positioned {@link ConfigNode} tree, refusing what a config file has no
 * business containing: more than {@value #MAX_CODE_POINTS} characters, nesting deeper than
 * {@value #MAX_DEPTH} levels, more than {@value #MAX_COLLECTION_ALIASES} aliases of lists or
 * mappings (the "billion laughs"), recursive aliases, duplicate keys and non-standard tags.
 *
 * <p>It composes nodes and never constructs objects, so no type named in the file is ever loaded.
 */
final class YamlTreeReader {

    static final int MAX_CODE_POINTS = 1024 * 1024;
    static final int MAX_DEPTH = 32;
    static final int MAX_COLLECTION_ALIASES = 50;
    /** Aliases multiply values even within the alias limit; no real experiment comes near this. */
    static final int MAX_VALUES = 100_000;

    private static final String STANDARD_TAG_PREFIX = "tag:yaml.org,2002:";

    /**
     * Where text comes from. An override's value starts after {@code path=} on the command line, so
     * its columns are shifted by that much.
     */
    record Origin(String file, int columnOffset) {

        static Origin file(String file) {
            return new Origin(file, 0);
        }

        SourcePosition start() {
            return new SourcePosition(file, 1, 1 + columnOffset);
        }

        SourcePosition at(Optional<Mark> mark) {
            return mark.map(this::at).orElseGet(this::start);
        }

        SourcePosition at(Mark mark) {
            int column = mark.getColumn() + 1 + (mark.getLine() == 0 ? columnOffset : 0);
            return new SourcePosition(file, mark.getLine() + 1, column);
        }
    }

    /** Thrown out of the recursive conversion once a refusal has been reported. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }

    private final Origin origin;
    private final ProblemCollector problems;
    private final Set<Node> nodesBeingConverted = Collections.newSetFromMap(new IdentityHashMap<>());
    private int values;

    private YamlTreeReader(Origin origin, ProblemCollector problems) {
        this.origin = origin;
        this.problems = problems;
    }

    /**
     * Reads one YAML document.
     *
     * @return the tree; a null scalar at the start for an empty document; {@code null} when the text
     *     cannot be used, the reasons having been reported
     */
    static ConfigNode read(Origin origin, String text, ProblemCollector problems) {
        return new YamlTreeReader(origin, problems).read(text);
    }

    private ConfigNode read(String text) {
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            problems.add(null, "", origin.file() + " is larger than 1 MiB; experiment files are limited to 1 MiB");
            return null;
        }
        LoadSettings settings = settings(origin.file());
        try {
            // The composer recurses once per level; check depth and aliases on the flat event stream first.
            if (!withinLimits(new Parse(settings).parseString(text))) {
                return null;
            }
            Optional<Node> document = new Compose(settings).composeString(text);
            if (document.isEmpty()) {
                return new ConfigScalar(origin.start(), ConfigScalar.Kind.NULL, "", null);
            }
            return convert(document.get(), "", 1);
        } catch (Refused refused) {
            return null;
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : oneLine(e.getContext()) + ", ";
            problems.add(origin.at(mark), "", "YAML syntax error: " + context + oneLine(e.getProblem()));
            return null;
        } catch (ReaderException e) {
            problems.add(positionOfCodePoint(text, e.getPosition()), "", "YAML syntax error: character "
                    + String.format(Locale.ROOT, "U+%04X", e.getCodePoint()) + " is not allowed");
            return null;
        } catch (YamlEngineException e) {
            problems.add(null, "", "cannot read " + origin.file() + " as YAML: " + oneLine(e.getMessage()));
            return null;
        }
    }

    private static LoadSettings settings(String label) {
        return LoadSettings.builder()
                .setLabel(label)
                .setSchema(new CoreSchema())
                // Compose does not construct, so the engine checks neither duplicate nor recursive keys:
                // convert() checks them; these settings document the intent and guard any later Load.
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS + 1)
                .setUseMarks(true)
                .build();
    }

    private boolean withinLimits(Iterable<Event> events) {
        int depth = 0;
        int collectionAliases = 0;
        Map<Anchor, Boolean> anchorsOfCollections = new HashMap<>();
        for (Event event : events) {
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    remember(anchorsOfCollections, (NodeEvent) event, true);
                    if (++depth > MAX_DEPTH) {
                        problems.add(origin.at(event.getStartMark()), "", "nested deeper than " + MAX_DEPTH
                                + " levels; experiment files are refused beyond that");
                        return false;
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case Scalar -> remember(anchorsOfCollections, (NodeEvent) event, false);
                case Alias -> {
                    boolean ofCollection = anchorsOfCollections.getOrDefault(((AliasEvent) event).getAlias(), false);
                    if (ofCollection && ++collectionAliases > MAX_COLLECTION_ALIASES) {
                        problems.add(origin.at(event.getStartMark()), "", "more than " + MAX_COLLECTION_ALIASES
                                + " aliases of lists or mappings; refused as a possible alias bomb");
                        return false;
                    }
                }
                default -> {
                    // stream and document boundaries, comments: nothing to limit
                }
            }
        }
        return true;
    }

    private static void remember(Map<Anchor, Boolean> anchorsOfCollections, NodeEvent event, boolean collection) {
        event.getAnchor().ifPresent(anchor -> anchorsOfCollections.put(anchor, collection));
    }

    private ConfigNode convert(Node node, String path, int depth) {
        SourcePosition position = origin.at(node.getStartMark());
        if (++values > MAX_VALUES) {
            throw refuse(position, path, "the document expands to more than " + MAX_VALUES
                    + " values through aliases; refused as a possible alias bomb");
        }
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar, path, position);
        }
        if (depth > MAX_DEPTH) {
            throw refuse(position, path, "nested deeper than " + MAX_DEPTH + " levels through aliases; refused");
        }
        if (!nodesBeingConverted.add(node)) {
            throw refuse(position, path,
                    "an alias refers to a list or mapping that contains it; recursive values are not allowed");
        }
        try {
            if (node instanceof SequenceNode sequence && Tag.SEQ.equals(node.getTag())) {
                return sequence(sequence, path, depth, position);
            }
            if (node instanceof MappingNode mapping && Tag.MAP.equals(node.getTag())) {
                return mapping(mapping, path, depth, position);
            }
            throw refuse(position, path,
                    "unsupported tag " + shortTag(node.getTag()) + "; only plain YAML values are allowed");
        } finally {
            nodesBeingConverted.remove(node);
        }
    }

    private ConfigList sequence(SequenceNode sequence, String path, int depth, SourcePosition position) {
        List<Node> items = sequence.getValue();
        ConfigNode[] converted = new ConfigNode[items.size()];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = convert(items.get(i), ConfigPath.element(path, i), depth + 1);
        }
        return new ConfigList(position, List.of(converted));
    }

    private ConfigMap mapping(MappingNode mapping, String path, int depth, SourcePosition position) {
        ConfigMap result = new ConfigMap(position);
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            SourcePosition keyPosition = origin.at(keyNode.getStartMark());
            if (!(keyNode instanceof ScalarNode keyScalar) || keyScalar.getValue().isEmpty()) {
                problems.add(keyPosition, path, "keys must be names, got "
                        + (keyNode instanceof ScalarNode ? "an empty key" : "a list or mapping as a key"));
                continue;
            }
            String key = keyScalar.getValue();
            String keyPath = ConfigPath.child(path, key);
            ConfigMap.Entry first = result.entry(key);
            if (first != null) {
                // Keep the first value and go on, so that the rest of the file is still checked.
                problems.add(keyPosition, keyPath, "duplicate key; first given at line " + first.keyPosition().line());
                continue;
            }
            result.put(key, keyPosition, convert(tuple.getValueNode(), keyPath, depth + 1));
        }
        return result;
    }

    private ConfigScalar scalar(ScalarNode node, String path, SourcePosition position) {
        String text = node.getValue();
        Tag tag = node.getTag();
        try {
            if (Tag.STR.equals(tag)) {
                return new ConfigScalar(position, ConfigScalar.Kind.STRING, text, text);
            }
            if (Tag.NULL.equals(tag)) {
                return new ConfigScalar(position, ConfigScalar.Kind.NULL, text, null);
            }
            if (Tag.BOOL.equals(tag)) {
                return new ConfigScalar(position, ConfigScalar.Kind.BOOLEAN, text, parseBoolean(text));
            }
            if (Tag.INT.equals(tag)) {
                return new ConfigScalar(position, ConfigScalar.Kind.INTEGER, text, parseInteger(text));
            }
            if (Tag.FLOAT.equals(tag)) {
                return new ConfigScalar(position, ConfigScalar.Kind.FLOAT, text, parseFloat(text));
            }
        } catch (NumberFormatException e) {
            throw refuse(position, path, "'" + text + "' is not a valid " + shortTag(tag));
        }
        throw refuse(position, path, "unsupported tag " + shortTag(tag) + "; only plain YAML values are allowed");
    }

    private static Boolean parseBoolean(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw new NumberFormatException(text);
        }
        return Boolean.valueOf(lower);
    }

    /** A core-schema integer: decimal with an optional sign, {@code 0o17} or {@code 0x1F}. */
    private static Number parseInteger(String text) {
        BigInteger value;
        if (text.startsWith("0o")) {
            value = new BigInteger(text.substring(2), 8);
        } else if (text.startsWith("0x")) {
            value = new BigInteger(text.substring(2), 16);
        } else {
            value = new BigInteger(text);
        }
        return value.bitLength() < Long.SIZE ? (Number) value.longValue() : value;
    }

    /** A core-schema float, including {@code .inf}, {@code -.inf} and {@code .nan}. */
    private static Double parseFloat(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private Refused refuse(SourcePosition position, String path, String message) {
        problems.add(position, path, message);
        return new Refused();
    }

    private static String shortTag(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(STANDARD_TAG_PREFIX) ? "!!" + value.substring(STANDARD_TAG_PREFIX.length()) : value;
    }

    private static String oneLine(String text) {
        return text == null ? "unknown problem" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The reader reports a bad character by its index in code points; turn that into line and column. */
    private SourcePosition positionOfCodePoint(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int offset = 0; offset < text.length() && index < codePointIndex; index++) {
            int codePoint = text.codePointAt(offset);
            offset += Character.charCount(codePoint);
            if (codePoint == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePosition(origin.file(), line, column + (line == 1 ? origin.columnOffset() : 0));
    }
}

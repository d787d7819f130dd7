package org.backproplab.core.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local, append-only record of everything meant for one MLflow run: params, tags, metric points (with the
 * timestamp they were measured at, so that a resent point is the same point), artifacts (copied into the journal)
 * and the final status. A run's records are written here before they are sent, so an outage or a killed process
 * loses nothing: {@link JournalSender} drains the journal, {@code ./lab sync} replays what it left.
 *
 * <p>On disk, {@code <root>/<run id>/}: {@code journal.jsonl} (a header line, then one JSON record a line),
 * {@code artifacts/} and {@code progress.json} (per target server: the run there and how many records it has).
 * Appends reach the operating system at once (a killed process keeps them) and the disk every second, when the
 * sender syncs. With {@code LAB_JOURNAL=off} (benchmarks only) the records stay in memory.
 */
final class RunJournal implements AutoCloseable {

    static final String ROOT_PROPERTY = "lab.journal.dir";
    static final String ROOT_VARIABLE = "LAB_JOURNAL_DIR";
    static final String SWITCH_VARIABLE = "LAB_JOURNAL";
    static final String JOURNAL_FILE = "journal.jsonl";
    static final String PROGRESS_FILE = "progress.json";
    private static final String LOCK_FILE = "journal.lock";
    private static final String ARTIFACTS = "artifacts";

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final ObjectNode header;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<String> memory;
    private final Map<Integer, byte[]> memoryArtifacts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Records appended (header excluded), counting those found when reopened. */
    private long records;
    private int artifacts;
    /** Where the next sequential {@link #read} starts: record index and byte offset (-1: unknown). */
    private long cursorRecord;
    private long cursorOffset = -1;
    private ObjectNode progress;
    /** No more records will come: the final status was appended, or the journal is only replayed. */
    private volatile boolean sealed;

    private RunJournal(Path directory, ObjectNode header, FileChannel channel, FileLock lock, long records,
            ObjectNode progress) {
        this.directory = directory;
        this.header = header;
        this.channel = channel;
        this.lock = lock;
        this.memory = directory == null ? new ArrayList<>() : null;
        this.records = records;
        this.progress = progress;
    }

    /** The folder holding every run's journal: {@code lab.journal.dir}, {@code LAB_JOURNAL_DIR}, else .lab/journal. */
    static Path root() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ROOT_VARIABLE);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String project = System.getProperty(MlflowServer.PROJECT_ROOT_PROPERTY);
        return Path.of(project == null || project.isBlank() ? "." : project, ".lab", "journal").toAbsolutePath().normalize();
    }

    /** Whether journals go to disk; {@code LAB_JOURNAL=off} keeps them in memory, for measuring their cost. */
    static boolean onDisk() {
        return !"off".equalsIgnoreCase(System.getenv(SWITCH_VARIABLE)) && !Boolean.getBoolean("lab.journal.off");
    }

    /**
     * A new journal for a run that exists on the server.
     *
     * @param header what identifies the run and, for a replay to another server, re-creates it
     */
    static RunJournal create(ObjectNode header, String runId) {
        header.put("k", "run");
        header.put("format", 1);
        if (!onDisk()) {
            return new RunJournal(null, header, null, null, 0, JSON.createObjectNode());
        }
        Path directory = root().resolve(runId);
        try {
            for (int attempt = 1; ; attempt++) {
                Files.createDirectories(directory);
                FileLock lock = tryLock(directory);
                if (lock != null) {
                    FileChannel channel = FileChannel.open(directory.resolve(JOURNAL_FILE), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    if (channel.size() == 0) {
                        RunJournal journal = new RunJournal(directory, header, channel, lock, 0, JSON.createObjectNode());
                        journal.write(JSON.writeValueAsString(header));
                        return journal;
                    }
                    // Journaled before (a sweep's parent reopened, a dead worker's trial ended by the sweep): go on
                    // after what it holds, so that its unsent records go first.
                    channel.close();
                    lock.release();
                    lock.channel().close();
                    Optional<RunJournal> earlier = open(directory, true);
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                }
                // Held by another process that logs to the same run: a journal of our own beside it.
                directory = root().resolve(runId + "." + ProcessHandle.current().pid() + "." + attempt);
            }
        } catch (IOException e) {
            throw new TrackingException("Cannot write the tracking journal in " + directory + ": " + e.getMessage()
                    + ". Make it writable or point " + ROOT_VARIABLE + " elsewhere.", e);
        }
    }

    /**
     * The journal in {@code directory}, to append to or replay; empty if another process (or tracker) holds it.
     *
     * @throws TrackingException if it is not a journal
     */
    static Optional<RunJournal> open(Path directory, boolean forAppending) {
        Path file = directory.resolve(JOURNAL_FILE);
        try {
            FileLock lock = tryLock(directory);
            if (lock == null) {
                return Optional.empty();
            }
            try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                terminateLastLine(file, writer);
            }
            long records = 0;
            ObjectNode header = null;
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                Iterator<String> iterator = lines.iterator();
                while (iterator.hasNext()) {
                    String line = iterator.next();
                    if (header == null) {
                        header = (ObjectNode) JSON.readTree(line);
                    } else {
                        records++;
                    }
                }
            }
            if (header == null || !"run".equals(header.path("k").asText())) {
                throw new TrackingException(file + " is not a Backprop Lab tracking journal.");
            }
            FileChannel channel = forAppending ? FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND) : null;
            ObjectNode progress = Files.isRegularFile(directory.resolve(PROGRESS_FILE))
                    ? (ObjectNode) JSON.readTree(directory.resolve(PROGRESS_FILE).toFile()) : JSON.createObjectNode();
            RunJournal journal = new RunJournal(directory, header, channel, lock, records, progress);
            journal.artifacts = countArtifacts(directory);
            journal.sealed = !forAppending;
            return Optional.of(journal);
        } catch (IOException | ClassCastException e) {
            throw new TrackingException("Cannot read the tracking journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** The journals under {@link #root()}, oldest first (a sweep's parent before its trials). */
    static List<Path> all() {
        Path root = root();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(child -> Files.isRegularFile(child.resolve(JOURNAL_FILE)))
                    .sorted(Comparator.comparing(RunJournal::modified))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String runId() {
        return header.path("run_id").asText();
    }

    ObjectNode header() {
        return header;
    }

    Path directory() {
        return directory;
    }

    /** How many records it holds. */
    synchronized long size() {
        return records;
    }

    void param(String key, String value) {
        ObjectNode record = JSON.createObjectNode().put("k", "param").put("key", key).put("value", value);
        append(record);
    }

    void tag(String key, String value) {
        append(JSON.createObjectNode().put("k", "tag").put("key", key).put("value", value));
    }

    void metric(String key, double value, long timestamp, long step) {
        ObjectNode record = JSON.createObjectNode().put("k", "metric").put("key", key);
        if (Double.isFinite(value)) {
            record.put("value", value);
        } else {
            record.put("value", Double.toString(value)); // NaN, Infinity, -Infinity: JSON has no such numbers
        }
        append(record.put("ts", timestamp).put("step", step));
    }

    /** Keeps {@code content} for upload as {@code relativePath} of the run. */
    synchronized void artifact(String relativePath, byte[] content) {
        int number = artifacts++;
        String name = number + "-" + relativePath.substring(relativePath.lastIndexOf('/') + 1);
        if (directory == null) {
            memoryArtifacts.put(number, content);
        } else {
            try {
                Files.createDirectories(directory.resolve(ARTIFACTS));
                Files.write(directory.resolve(ARTIFACTS).resolve(name), content);
            } catch (IOException e) {
                throw new TrackingException("Cannot keep artifact " + relativePath + " in the tracking journal "
                        + directory + ": " + e.getMessage(), e);
            }
        }
        append(JSON.createObjectNode().put("k", "artifact").put("path", relativePath).put("file", name)
                .put("number", number));
    }

    /** The run's dataset, for MLflow's inputs: a name, a digest of its settings, their kind and the settings. */
    void input(String name, String digest, String sourceType, String source) {
        append(JSON.createObjectNode().put("k", "input").put("name", name).put("digest", digest)
                .put("source_type", sourceType).put("source", source));
    }

    void end(RunStatus status, long endTime) {
        append(JSON.createObjectNode().put("k", "end").put("status", status.name()).put("end_time", endTime));
        sealed = true;
    }

    /** Whether no more records will be appended. */
    boolean sealed() {
        return sealed;
    }

    /** The content of an artifact record. */
    byte[] artifactContent(JsonNode record) {
        if (directory == null) {
            return memoryArtifacts.get(record.path("number").asInt());
        }
        try {
            return Files.readAllBytes(directory.resolve(ARTIFACTS).resolve(record.path("file").asText()));
        } catch (IOException e) {
            throw new TrackingException("The tracking journal " + directory + " lost artifact "
                    + record.path("path").asText() + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code from} (0-based) on, at most {@code max}; only whole lines. */
    synchronized List<JsonNode> read(long from, int max) {
        List<JsonNode> result = new ArrayList<>();
        long end = Math.min(records, from + max);
        if (from >= end) {
            return result;
        }
        if (directory == null) {
            for (long i = from; i < end; i++) {
                result.add(parse(memory.get((int) i)));
            }
            return result;
        }
        try (FileChannel reader = FileChannel.open(directory.resolve(JOURNAL_FILE), StandardOpenOption.READ)) {
            if (cursorOffset < 0 || from < cursorRecord) {
                cursorRecord = -1; // the header line
                cursorOffset = 0;
            }
            java.io.InputStream in = new java.io.BufferedInputStream(
                    java.nio.channels.Channels.newInputStream(reader.position(cursorOffset)), 1 << 16);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
            long offset = cursorOffset;
            long lineStart = cursorOffset;
            long index = cursorRecord - 1; // of the line being read, once its end is found
            int b;
            while (index + 1 < end && (b = in.read()) >= 0) {
                offset++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                index++;
                if (index == from) {
                    // The next read starts here: the same records again (a retry) or the ones after (cheap to skip).
                    cursorRecord = index;
                    cursorOffset = lineStart;
                }
                if (index >= from) {
                    result.add(parse(line.toString(StandardCharsets.UTF_8)));
                }
                line.reset();
                lineStart = offset;
            }
        } catch (IOException e) {
            throw new TrackingException("Cannot read the tracking journal " + directory + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** Makes what was appended durable. */
    void force() {
        if (channel != null) {
            try {
                channel.force(false);
            } catch (IOException e) {
                // the records are still in the operating system's cache; the next force tries again
            }
        }
    }

    /** The progress on a target: {@code run_id}, {@code artifact_uri} and {@code sent}; empty if none yet. */
    synchronized Optional<ObjectNode> progress(String target) {
        JsonNode node = progress.get(target);
        return node instanceof ObjectNode object ? Optional.of(object.deepCopy()) : Optional.empty();
    }

    /** Records the progress on a target (written whole, then renamed, so it is never half-written). */
    synchronized void saveProgress(String target, ObjectNode state) {
        progress.set(target, state);
        if (directory == null) {
            return;
        }
        Path file = directory.resolve(PROGRESS_FILE);
        Path temporary = directory.resolve(PROGRESS_FILE + ".tmp");
        try {
            Files.writeString(temporary, JSON.writeValueAsString(progress), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // Progress is an optimisation: without it, a replay resends what was sent, which adds nothing.
        }
    }

    /** Deletes the journal: everything in it reached the server. */
    void delete() {
        close();
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover folder is replayed as complete: nothing more is sent
        }
    }

    /** Releases the journal for another process; appending afterwards is an error. */
    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.force(false);
                channel.close();
            }
            if (lock != null && lock.isValid()) {
                lock.release();
                lock.channel().close();
            }
        } catch (IOException e) {
            // nothing more to do
        }
    }

    @Override
    public String toString() {
        return "RunJournal[" + (directory == null ? "in memory" : directory) + ", " + records + " records]";
    }

    private synchronized void append(ObjectNode record) {
        try {
            write(JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        records++;
    }

    private void write(String line) {
        if (directory == null) {
            memory.add(line);
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new TrackingException("Cannot append to the tracking journal " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A record; a line cut short by a killed process is a {@code damaged} record, skipped by the sender. */
    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node instanceof ObjectNode ? node : JSON.createObjectNode().put("k", "damaged");
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("k", "damaged");
        }
    }

    private static FileLock tryLock(Path directory) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            channel.close(); // held in this JVM
            return null;
        }
    }

    /** A process killed mid-append leaves half a line: end it, so the next record starts on its own line. */
    private static void terminateLastLine(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            reader.read(last, size - 1);
            if (last.get(0) != '\n') {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
        }
    }

    private static int countArtifacts(Path directory) throws IOException {
        Path folder = directory.resolve(ARTIFACTS);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.count();
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path directory) {
        try {
            return Files.getLastModifiedTime(directory.resolve(JOURNAL_FILE));
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }
}

package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on disk and how the sender cuts it into requests; {@code TrackingFaultsTest} covers the server. */
class RunJournalTest {

    @TempDir
    Path root;

    @BeforeEach
    void useTemporaryRoot() {
        System.setProperty(RunJournal.ROOT_PROPERTY, root.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(RunJournal.ROOT_PROPERTY);
    }

    @Test
    void recordsComeBackInOrderWithTheirTimestampsAndNonFiniteValues() {
        try (RunJournal journal = RunJournal.create(RunJournal.JSON.createObjectNode().put("run_id", "r1"), "r1")) {
            journal.param("lr", "0.1");
            journal.metric("loss", 0.5, 1234, 7);
            journal.metric("loss", Double.NaN, 1235, 8);
            journal.tag("lab.outcome", "done");
            journal.end(RunStatus.FINISHED, 99);

            List<JsonNode> records = journal.read(0, 10);
            assertThat(records).extracting(JournalSender::kind).containsExactly("param", "metric", "metric", "tag", "end");
            assertThat(records.get(1).path("ts").asLong()).isEqualTo(1234);
            assertThat(records.get(2).path("value").asText()).isEqualTo("NaN");
            assertThat(journal.read(3, 10)).extracting(JournalSender::kind).containsExactly("tag", "end");
            assertThat(journal.read(1, 1)).extracting(JournalSender::kind).containsExactly("metric");
        }
    }

    @Test
    void aLineCutShortByAKilledProcessIsEndedAndSkipped() throws IOException {
        try (RunJournal journal = RunJournal.create(RunJournal.JSON.createObjectNode().put("run_id", "r2"), "r2")) {
            journal.metric("loss", 1, 1, 1);
        }
        Path file = root.resolve("r2").resolve(RunJournal.JOURNAL_FILE);
        Files.writeString(file, "{\"k\":\"metric\",\"key\":\"lo", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (RunJournal reopened = RunJournal.open(root.resolve("r2"), true).orElseThrow()) {
            reopened.metric("loss", 2, 2, 2);
            assertThat(reopened.read(0, 10)).extracting(JournalSender::kind).containsExactly("metric", "damaged", "metric");
        }
    }

    @Test
    void aJournalInUseIsNotOpenedTwice() {
        try (RunJournal journal = RunJournal.create(RunJournal.JSON.createObjectNode().put("run_id", "r3"), "r3")) {
            assertThat(RunJournal.open(journal.directory(), false)).isEmpty();
        }
        assertThat(RunJournal.open(root.resolve("r3"), false)).isPresent();
    }

    @Test
    void requestsStayWithinMlflowsLimits() {
        try (RunJournal journal = RunJournal.create(RunJournal.JSON.createObjectNode().put("run_id", "r4"), "r4")) {
            for (int step = 0; step < 1100; step++) {
                journal.metric("loss", step, step, step);
            }
            for (int i = 0; i < 150; i++) {
                journal.param("p" + i, "v");
            }
            journal.tag("t", "1");
            journal.tag("t", "2");
            journal.artifact("config/a.yaml", new byte[] {1});

            List<JsonNode> first = JournalSender.firstRequest(journal.read(0, 2000));
            assertThat(first).hasSize(1000);
            List<JsonNode> second = JournalSender.firstRequest(journal.read(1000, 2000));
            assertThat(second).hasSize(200); // 100 metrics and 100 params
            List<JsonNode> third = JournalSender.firstRequest(journal.read(1200, 2000));
            assertThat(third).hasSize(51); // 50 params and the first value of t: the second goes after it
            assertThat(JournalSender.firstRequest(journal.read(1251, 2000))).hasSize(1);
            List<JsonNode> artifact = JournalSender.firstRequest(journal.read(1252, 2000));
            assertThat(artifact).extracting(JournalSender::kind).containsExactly("artifact");
            assertThat(journal.artifactContent(artifact.get(0))).containsExactly(1);
        }
    }
}

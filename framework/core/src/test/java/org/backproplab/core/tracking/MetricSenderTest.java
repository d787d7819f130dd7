package org.backproplab.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;

/** The batching itself, with batches recorded in memory; {@link MlflowTrackingTest} covers the real server. */
class MetricSenderTest {

    private final List<List<Metric>> batches = new CopyOnWriteArrayList<>();

    @Test
    void batchesHoldAtMostOneThousandMetricsAndKeepTheirOrder() {
        try (MetricSender sender = new MetricSender("run", "http://test", batches::add)) {
            for (int step = 0; step < 2500; step++) {
                sender.add(metric(step));
            }
            sender.flush();

            assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(1000));
            assertThat(batches.stream().flatMap(List::stream).map(Metric::getStep))
                    .containsExactlyElementsOf(LongStream.range(0, 2500).boxed().toList());
        }
    }

    @Test
    void theFirstFailureIsThrownByFlushAndCloseAndLaterMetricsAreDropped() {
        AtomicInteger calls = new AtomicInteger();
        MetricSender sender = new MetricSender("run-x", "http://test", batch -> {
            calls.incrementAndGet();
            throw new TrackingException("server said no");
        });
        sender.add(metric(0));

        assertThatThrownBy(sender::flush).isInstanceOf(TrackingException.class).hasMessage("server said no");
        sender.add(metric(1));
        assertThatThrownBy(sender::flush).hasMessage("server said no");
        assertThatThrownBy(sender::close).hasMessage("server said no");
        assertThat(calls).hasValue(1);
        assertThatThrownBy(() -> sender.add(metric(2))).hasMessageContaining("already finished");
    }

    private static Metric metric(long step) {
        return Metric.newBuilder().setKey("loss").setValue(step).setTimestamp(step).setStep(step).build();
    }
}

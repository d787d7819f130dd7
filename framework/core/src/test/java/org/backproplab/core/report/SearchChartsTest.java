package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SearchChartsTest {

    @TempDir
    Path folder;

    private static TrialData trial(int index, String status, double lr, String hidden, double... accuracy) {
        List<MetricPoint> curve = new java.util.ArrayList<>();
        for (int i = 0; i < accuracy.length; i++) {
            curve.add(new MetricPoint(40L * (i + 1), accuracy[i]));
        }
        return new TrialData("run-" + index, "lr=" + lr + " hidden=" + hidden, status,
                Map.of("optimizer.lr", Double.toString(lr), "model.hidden", hidden), Map.of("eval/accuracy", curve), index);
    }

    @Test
    void aSweepReportShowsTheObjectiveByTrialWithTheBestSoFarAndParallelCoordinates() throws IOException {
        ReportData data = ReportData.of("tpe", List.of(
                trial(3, "FINISHED", 0.03, "[128]", 0.6, 0.75, 0.79),
                trial(1, "FINISHED", 0.2, "[256]", 0.5, 0.7, 0.77),
                trial(2, TrialData.PRUNED, 0.0001, "[32]", 0.1),
                trial(4, "FAILED", 10, "[32]", Double.NaN),
                trial(5, "FINISHED", 0.01, "[32]", 0.4, 0.6, 0.72)))
                .withObjective("eval/accuracy", ReportData.MAX);

        List<SearchCharts.Point> points = SearchCharts.points(data);
        assertThat(points).extracting(SearchCharts.Point::number).containsExactly(1, 2, 3, 5);
        assertThat(points).extracting(SearchCharts.Point::value).containsExactly(0.77, 0.1, 0.79, 0.72);
        // A pruned trial's last value is never the best so far: it stopped before its end.
        assertThat(SearchCharts.bestSoFar(points, Objective.of(data))).containsExactly(0.77, 0.77, 0.79, 0.79);

        Report report = ReportWriter.write(data, folder);
        for (String chart : List.of(SearchCharts.HISTORY_FILE, SearchCharts.PARALLEL_FILE)) {
            assertThat(ImageIO.read(folder.resolve(chart).toFile())).as(chart).isNotNull();
        }
        String markdown = Files.readString(report.markdown());
        assertThat(markdown).contains("## Search").contains("| 2 | lr=1.0E-4 hidden=\\[32\\] | PRUNED | 0.100 | 0.770 |")
                .contains(SearchCharts.PARALLEL_FILE);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // XChart's tick search never ended here: fail instead of hanging
    void aGridOfManyCategoriesAndLongNamesIsDrawnToo() throws IOException {
        List<TrialData> trials = new java.util.ArrayList<>();
        int index = 0;
        for (String activation : List.of("sigmoid", "tanh", "relu", "leaky_relu", "softsign", "gelu")) {
            for (String init : List.of("xavier", "xavier_normal", "he", "he_uniform")) {
                for (int depth : List.of(2, 4, 6, 8, 10)) {
                    index++;
                    trials.add(new TrialData("run-" + index, activation + " " + init + " d" + depth, "FINISHED",
                            Map.of("model.activation", activation, "model.init", init, "model.depth", Integer.toString(depth),
                                    "optimizer.learning_rate_of_the_optimizer", Double.toString(0.001 * index)),
                            Map.of("eval/accuracy", List.of(new MetricPoint(10, 0.1 + index / 200.0))), index));
                }
            }
        }
        ReportData data = ReportData.of("grid", trials).withObjective("eval/accuracy", ReportData.MAX);
        ReportWriter.write(data, folder);
        assertThat(ImageIO.read(folder.resolve(SearchCharts.PARALLEL_FILE).toFile())).isNotNull();
    }

    @Test
    void axesAreNamedByTheirLastPathSegmentWhenThatIsUnique() {
        List<String> names = List.of("optimizer.lr", "model.lr", "optimizer.momentum", "eval/accuracy");
        assertThat(names).extracting(name -> SearchCharts.shortName(name, names))
                .containsExactly("optimizer.lr", "model.lr", "momentum", "eval/accuracy");
    }

    @Test
    void anAxisIsLogarithmicWhenItsNumbersSpanDecadesAndCategoricalOtherwise() {
        SearchCharts.Axis lr = SearchCharts.Axis.of("optimizer.lr", List.of("0.0001", "0.01", "1"));
        assertThat(lr.log()).isTrue();
        assertThat(lr.position("0.01")).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        SearchCharts.Axis hidden = SearchCharts.Axis.of("model.hidden", List.of("[32]", "[256]", "[128]"));
        assertThat(hidden.categories()).hasSize(3);
        assertThat(hidden.position(hidden.categories().get(2))).isEqualTo(1.0);
        assertThat(SearchCharts.Axis.of("momentum", List.of("0.5", "0.5")).position("0.5")).isEqualTo(0.5);
    }
}

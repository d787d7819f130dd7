package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path directory;

    @Test
    void writesEveryChartAndBothIndexes() {
        Report report = ReportWriter.write(SyntheticTrials.sweep(), directory);

        assertThat(report.files()).extracting(path -> path.getFileName().toString()).containsExactly(
                "gradient-norms.png", "gradient-norms-end.png", "gradient-ratio-heatmap-he.png",
                "gradient-ratio-heatmap-xavier.png", "learning-curves.png", "objective-by-trial.png",
                "parallel-coordinates.png", "report.md", "report.html");
        assertThat(report.markdown()).isEqualTo(directory.resolve("report.md"));
        assertThat(report.html()).isEqualTo(directory.resolve("report.html"));
        assertThat(report.files()).allSatisfy(file -> assertThat(file).isRegularFile().isNotEmptyFile());
    }

    @Test
    void theMarkdownHasTheNumbersBehindTheGradientCharts() throws IOException {
        ReportWriter.write(SyntheticTrials.sweep(), directory);
        String markdown = Files.readString(directory.resolve("report.md"));

        // Depth 6, sigmoid/xavier: layer 1 is 0.5 * 0.1^5 at initialisation, half that at the end.
        assertThat(row(markdown, "Gradient norms at initialisation", "d6-sigmoid-xavier-lr0.05"))
                .isEqualTo(List.of("d6-sigmoid-xavier-lr0.05", "6", "sigmoid", "xavier", "0",
                        "5.00e-06", "5.00e-05", "0.000500", "0.00500", "0.0500", "0.500", "1.00e-05"));
        assertThat(row(markdown, "Gradient norms at the end of training", "d6-sigmoid-xavier-lr0.05"))
                .containsSequence("100", "2.50e-06").endsWith("1.00e-05");
        // relu/he keeps its gradient: first/last is exactly 1; a depth-2 net has no layer 3.
        assertThat(row(markdown, "Gradient norms at initialisation", "d2-relu-he-lr0.05"))
                .containsExactly("d2-relu-he-lr0.05", "2", "relu", "he", "0", "0.500", "0.500",
                        "—", "—", "—", "—", "1.00");
        for (int depth : new int[] {2, 4, 6}) {
            for (String activation : List.of("relu", "sigmoid")) {
                for (String init : List.of("he", "xavier")) {
                    double ratio = SyntheticTrials.initialNorm(depth, 1, activation, init)
                            / SyntheticTrials.initialNorm(depth, depth, activation, init);
                    assertThat(row(markdown, "Gradient norms at initialisation",
                            "d" + depth + "-" + activation + "-" + init + "-lr0.05"))
                            .last().isEqualTo(String.format(Locale.ROOT, "%.3g", ratio));
                }
            }
        }
    }

    @Test
    void theMarkdownHasTheHeatmapGridAsLog10Ratios() throws IOException {
        ReportWriter.write(SyntheticTrials.sweep(), directory);
        String markdown = Files.readString(directory.resolve("report.md"));

        assertThat(row(markdown, "First- to last-layer gradient ratio", "activation (init xavier)"))
                .containsExactly("activation (init xavier)", "depth 2", "depth 4", "depth 6");
        // log10(0.1^(depth-1)) for sigmoid/xavier: -1, -3, -5.
        assertThat(rowAfter(markdown, "activation (init xavier)", "sigmoid"))
                .containsExactly("sigmoid", "-1.00", "-3.00", "-5.00");
        assertThat(rowAfter(markdown, "activation (init he)", "relu"))
                .containsExactly("relu", "0.00", "0.00", "0.00");
        assertThat(rowAfter(markdown, "activation (init he)", "sigmoid"))
                .containsExactly("sigmoid", format(Math.log10(0.2)), format(3 * Math.log10(0.2)),
                        format(5 * Math.log10(0.2)));
    }

    @Test
    void theMarkdownRanksTrialsByTheObjectiveWithTheirFinalMetrics() throws IOException {
        ReportData data = SyntheticTrials.sweep();
        ReportWriter.write(data, directory);
        String markdown = Files.readString(directory.resolve("report.md"));

        List<String> best = row(markdown, "Trials ranked by eval/accuracy (max)", "1");
        assertThat(best).containsExactly("1", "d2-relu-he-lr0.05", "2", "relu", "he", "FINISHED",
                format(SyntheticTrials.finalAccuracy(2, "relu", "he")));
        List<String> worst = row(markdown, "Trials ranked by eval/accuracy (max)", "12");
        assertThat(worst).element(1).isEqualTo("d6-sigmoid-xavier-lr0.05");

        TrialData deepSigmoid = data.trials().stream().filter(t -> t.name().equals("d6-sigmoid-xavier-lr0.05"))
                .findFirst().orElseThrow();
        assertThat(row(markdown, "Learning curves and final metrics", "d6-sigmoid-xavier-lr0.05"))
                .containsExactly("d6-sigmoid-xavier-lr0.05", "6", "sigmoid", "xavier", "FINISHED", "100",
                        format(deepSigmoid.last("train/loss").orElseThrow().value()),
                        format(SyntheticTrials.finalAccuracy(6, "sigmoid", "xavier")));
        assertThat(markdown).contains("- optimizer.lr = 0.05").contains("- seed = 42");
    }

    @Test
    void theHtmlIsSelfContained() throws IOException {
        Report report = ReportWriter.write(SyntheticTrials.sweep(), directory);
        String html = Files.readString(report.html(), StandardCharsets.UTF_8);

        List<String> sources = new ArrayList<>();
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        while (src.find()) {
            sources.add(src.group(1));
        }
        assertThat(sources).hasSize(7).allSatisfy(source -> assertThat(source).startsWith("data:image/png;base64,"));
        byte[] firstImage = Base64.getDecoder().decode(sources.get(0).substring("data:image/png;base64,".length()));
        assertThat(firstImage).isEqualTo(Files.readAllBytes(directory.resolve("gradient-norms.png")));
        assertThat(html).doesNotContain("http://", "https://", "href=", "<link", "<script", "url(");
        // The same numbers as the Markdown.
        assertThat(html).contains("<td class=\"num\">5.00e-06</td>").contains("<td class=\"num\">1.00e-05</td>");
    }

    @Test
    void aDivergedTrialsHugeLossIsCutAtAThousandTimesTheMedianInsteadOfStretchingTheAxis() {
        // lr-sweep's lr 1 trial: a loss of 2.7e9 beside losses near 0.5.
        assertThat(LearningRateChart.cap(new double[] {0.31, 0.42, 0.55, 0.9, 2.7e9})).isEqualTo(550.0);
        assertThat(LearningRateChart.cap(new double[] {0.31, 0.42, 0.55, 0.9, 2.3})).isInfinite();
        assertThat(LearningRateChart.cap(new double[] {0.5, 2.7e9})).as("too few to tell").isInfinite();
    }

    @Test
    void aLearningRateSweepGetsItsChartAndNamesTheDivergedTrials() throws IOException {
        List<TrialData> trials = new ArrayList<>();
        for (String activation : List.of("relu", "tanh")) {
            for (String lr : List.of("0.01", "0.1", "1")) {
                trials.add(SyntheticTrials.trial(4, activation, "he", lr));
            }
        }
        TrialData diverged = SyntheticTrials.trial(4, "tanh", "he", "10");
        List<MetricPoint> loss = new ArrayList<>(diverged.history("train/loss"));
        loss.add(new MetricPoint(110, Double.NaN));
        Map<String, List<MetricPoint>> metrics = new java.util.LinkedHashMap<>(diverged.metrics());
        metrics.put("train/loss", loss);
        trials.add(new TrialData("run-diverged", "tanh-diverged", "FINISHED", diverged.params(), metrics));

        Report report = ReportWriter.write(ReportData.of("LR sweep", trials), directory);
        String markdown = Files.readString(report.markdown());

        assertThat(directory.resolve("lr-vs-final-train-loss.png")).isRegularFile();
        assertThat(report.files()).contains(directory.resolve("lr-vs-final-train-loss.png"));
        assertThat(markdown).contains("- tanh-diverged (lr 10): diverged: train/loss = NaN at step 110");
        assertThat(row(markdown, "Learning rate", "relu")).containsExactly("relu",
                finalLoss(trials.get(0)), finalLoss(trials.get(1)), finalLoss(trials.get(2)), "—");
        assertThat(row(markdown, "Learning rate", "group")).containsExactly("group", "lr 0.01", "lr 0.1", "lr 1", "lr 10");
    }

    @Test
    void trialsWithoutUsableNumbersGiveATextOnlyReport() throws IOException {
        TrialData nothing = new TrialData("a", "no-metrics", "FAILED", Map.of(), Map.of());
        TrialData nonFinite = new TrialData("b", "all-nan", "FAILED", Map.of(), Map.of(
                "grad_norm/layer_01", List.of(new MetricPoint(0, Double.NaN)),
                "grad_norm/layer_02", List.of(new MetricPoint(0, Double.POSITIVE_INFINITY)),
                "train/loss", List.of(new MetricPoint(0, Double.NaN))));

        Report report = ReportWriter.write(ReportData.of("Nothing to draw", List.of(nothing, nonFinite)), directory);

        assertThat(report.files()).containsExactly(report.markdown(), report.html());
        String markdown = Files.readString(report.markdown());
        assertThat(markdown).startsWith("# Nothing to draw").contains("2 trial(s): 2 FAILED.")
                .doesNotContain(".png");
        assertThat(Files.readString(report.html())).doesNotContain("<img");
    }

    private static String finalLoss(TrialData trial) {
        return format(trial.last("train/loss").orElseThrow().value());
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** The cells of the first table row after {@code heading} whose first cell is {@code firstCell}. */
    static List<String> row(String markdown, String heading, String firstCell) {
        int start = markdown.indexOf("## " + heading);
        assertThat(start).as("section %s", heading).isNotNegative();
        return rowAfter(markdown.substring(start), "", firstCell);
    }

    private static List<String> rowAfter(String markdown, String marker, String firstCell) {
        String rest = markdown.substring(markdown.indexOf(marker));
        for (String line : rest.split("\n")) {
            if (line.startsWith("| ")) {
                List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|"))
                        .stream().map(String::trim).toList();
                if (cells.get(0).equals(firstCell)) {
                    return cells;
                }
            }
        }
        throw new AssertionError("No row starting with '" + firstCell + "' after '" + marker + "'");
    }
}

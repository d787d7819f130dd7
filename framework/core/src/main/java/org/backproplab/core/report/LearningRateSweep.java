package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The final objective value of every trial against its learning rate, one line per combination of the other
 * varying parameters. Trials without a usable final value (failed, diverged to NaN, metric never logged) are
 * kept aside with the reason, to be shown as gaps and named in the text.
 *
 * @param objective the metric on the y axis
 * @param lines one per group, in parameter order
 * @param missing the trials that have no point, in report order
 */
record LearningRateSweep(Objective objective, List<Line> lines, List<Missing> missing) {

    /** @param values the group's values of {@code groupKeys}; @param points sorted by learning rate */
    record Line(List<String> values, String label, List<Point> points) {}

    record Point(double learningRate, double value, TrialData trial) {}

    record Missing(TrialData trial, String learningRate, String reason) {}

    LearningRateSweep {
        lines = List.copyOf(lines);
        missing = List.copyOf(missing);
    }

    /** Empty unless the trials vary {@code optimizer.lr}. */
    static Optional<LearningRateSweep> of(ReportData data) {
        VaryingParams varying = VaryingParams.of(data.trials());
        if (!varying.varies(MetricKeys.LEARNING_RATE)) {
            return Optional.empty();
        }
        Objective objective = Objective.of(data);
        List<String> groupKeys = varying.keysExcept(List.of(MetricKeys.LEARNING_RATE));
        Map<List<String>, List<Point>> groups = new LinkedHashMap<>();
        List<Missing> missing = new ArrayList<>();
        List<TrialData> ordered = data.trials().stream().sorted(VaryingParams.order(groupKeys)).toList();
        for (TrialData trial : ordered) {
            List<String> group = VaryingParams.values(trial, groupKeys);
            List<Point> points = groups.computeIfAbsent(group, key -> new ArrayList<>());
            String lr = trial.param(MetricKeys.LEARNING_RATE);
            Double learningRate = lr == null ? null : VaryingParams.ParamValueOrder.parse(lr);
            Optional<Double> value = objective.finalValue(trial);
            if (learningRate == null || !(learningRate > 0) || !Double.isFinite(learningRate)) {
                missing.add(new Missing(trial, lr, "learning rate is not a positive number"));
            } else if (value.isEmpty()) {
                missing.add(new Missing(trial, lr, whyNoValue(trial, objective.metric())));
            } else {
                points.add(new Point(learningRate, value.get(), trial));
            }
        }
        List<Line> lines = new ArrayList<>();
        groups.forEach((values, points) -> {
            points.sort(Comparator.comparingDouble(Point::learningRate));
            lines.add(new Line(values, groupKeys.isEmpty() ? objective.metric()
                    : String.join(" / ", VaryingParams.describeAll(groupKeys, values)), points));
        });
        return Optional.of(new LearningRateSweep(objective, lines, missing));
    }

    boolean hasPoints() {
        return lines.stream().anyMatch(line -> !line.points().isEmpty());
    }

    /** The learning rates of all trials, those without a point included, ascending. */
    List<Double> learningRates() {
        Stream<Double> plotted = lines.stream().flatMap(line -> line.points().stream()).map(Point::learningRate);
        Stream<Double> notPlotted = missing.stream().map(Missing::learningRate).filter(Objects::nonNull)
                .map(VaryingParams.ParamValueOrder::parse)
                .filter(rate -> rate != null && rate > 0 && Double.isFinite(rate));
        return Stream.concat(plotted, notPlotted).distinct().sorted().toList();
    }

    private static String whyNoValue(TrialData trial, String metric) {
        Optional<MetricPoint> last = trial.last(metric);
        if (last.isPresent() && !Double.isFinite(last.get().value())) {
            return "diverged: " + metric + " = " + Numbers.format(last.get().value()) + " at step " + last.get().step();
        }
        if (!trial.finishedNormally()) {
            return "run " + trial.status();
        }
        return metric + " was never logged";
    }
}

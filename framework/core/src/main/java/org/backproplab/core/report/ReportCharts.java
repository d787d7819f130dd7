package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every chart a report has data for; a chart without data is left out rather than drawn empty. */
final class ReportCharts {

    private ReportCharts() {}

    static List<ChartFile> draw(ReportData data, List<RatioGrid> ratioGrids, Optional<LearningRateSweep> lrSweep) {
        List<ChartFile> charts = new ArrayList<>();
        GradientNormChart.draw(data, GradientStage.INITIALISATION).ifPresent(charts::add);
        GradientNormChart.draw(data, GradientStage.END).ifPresent(charts::add);
        charts.addAll(GradientRatioHeatmap.draw(ratioGrids));
        LearningCurveChart.draw(data).ifPresent(charts::add);
        charts.addAll(SearchCharts.draw(data));
        lrSweep.flatMap(LearningRateChart::draw).ifPresent(charts::add);
        return charts;
    }
}

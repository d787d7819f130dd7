package org.backproplab.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * log10(first-layer / last-layer gradient norm) at initialisation over depth × activation, for one init
 * scheme: 0 when gradients reach the input intact, -5 when the first layer gets 100 000 times less. Trials that
 * share a cell (another parameter varied too) are averaged in log space.
 *
 * @param init the init scheme, or {@code null} when the trials have no {@code model.init}
 * @param depths the column headings, in numeric order
 * @param activations the row headings, alphabetically
 * @param cells {@code cells.get(row).get(column)}; NaN where no trial has a ratio
 */
record RatioGrid(String init, List<String> depths, List<String> activations, List<List<Double>> cells) {

    RatioGrid {
        depths = List.copyOf(depths);
        activations = List.copyOf(activations);
        cells = cells.stream().map(List::copyOf).toList();
    }

    /** One grid per init value; none when the trials have no depth or activation, or no gradient norms. */
    static List<RatioGrid> of(List<TrialData> trials) {
        Map<String, List<TrialData>> byInit = new TreeMap<>(VaryingParams.ParamValueOrder.INSTANCE);
        for (TrialData trial : trials) {
            if (trial.param(MetricKeys.DEPTH) != null && trial.param(MetricKeys.ACTIVATION) != null) {
                byInit.computeIfAbsent(Objects.requireNonNullElse(trial.param(MetricKeys.INIT), ""),
                        key -> new ArrayList<>()).add(trial);
            }
        }
        List<RatioGrid> grids = new ArrayList<>();
        byInit.forEach((init, group) -> {
            RatioGrid grid = grid(init.isEmpty() ? null : init, group);
            if (grid.hasValues()) {
                grids.add(grid);
            }
        });
        return grids;
    }

    double cell(int row, int column) {
        return cells.get(row).get(column);
    }

    boolean hasValues() {
        return cells.stream().flatMap(List::stream).anyMatch(Double::isFinite);
    }

    /** The largest distance from 0 of any cell: the heatmap's colour scale is symmetric around balance. */
    double largestMagnitude() {
        return cells.stream().flatMap(List::stream).filter(Double::isFinite)
                .mapToDouble(Math::abs).max().orElse(0);
    }

    private static RatioGrid grid(String init, List<TrialData> trials) {
        TreeSet<String> depths = new TreeSet<>(VaryingParams.ParamValueOrder.INSTANCE);
        TreeSet<String> activations = new TreeSet<>();
        Map<List<String>, List<Double>> logRatios = new LinkedHashMap<>();
        for (TrialData trial : trials) {
            String depth = trial.param(MetricKeys.DEPTH);
            String activation = trial.param(MetricKeys.ACTIVATION);
            depths.add(depth);
            activations.add(activation);
            GradientProfile.atInitialisation(trial)
                    .map(GradientProfile::firstToLastRatio)
                    .filter(Double::isFinite)
                    .ifPresent(ratio -> logRatios.computeIfAbsent(List.of(activation, depth), key -> new ArrayList<>())
                            .add(Math.log10(ratio)));
        }
        List<List<Double>> cells = new ArrayList<>();
        for (String activation : activations) {
            List<Double> row = new ArrayList<>();
            for (String depth : depths) {
                row.add(logRatios.getOrDefault(List.of(activation, depth), List.of()).stream()
                        .mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            }
            cells.add(row);
        }
        return new RatioGrid(init, List.copyOf(depths), List.copyOf(activations), cells);
    }
}

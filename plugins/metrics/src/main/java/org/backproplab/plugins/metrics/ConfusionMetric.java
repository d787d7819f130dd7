package org.backproplab.plugins.metrics;

import org.backproplab.spi.EvaluationBatch;
import org.backproplab.spi.Metric;
import org.backproplab.spi.MetricContext;

/** A metric computed from the confusion counts of an evaluation: accuracy, the class scores, the matrix itself. */
abstract class ConfusionMetric implements Metric {

    /** The counts since the last {@link #reset()}. */
    final ConfusionCounts counts;

    ConfusionMetric(MetricContext context) {
        this.counts = new ConfusionCounts(context.classes());
    }

    @Override
    public final void reset() {
        counts.reset();
    }

    @Override
    public final void update(EvaluationBatch batch) {
        counts.add(batch);
    }
}

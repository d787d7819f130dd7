package org.backproplab.plugins.datasets;

import java.util.Optional;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.Examples;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;

/**
 * The four points of XOR (seed 002). It is also its own test split: the question is whether the
 * network fits all four, so {@code eval/accuracy} of 1.0 means XOR was learned.
 */
public final class XorDatasetFactory implements DatasetFactory<NoParameters> {

    @Override
    public String name() {
        return "xor";
    }

    @Override
    public String description() {
        return "The four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0; evaluated on the same four.";
    }

    @Override
    public Class<NoParameters> parametersType() {
        return NoParameters.class;
    }

    @Override
    public Dataset create(NoParameters parameters, DatasetContext context) {
        Examples points = new Examples(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new float[] {0, 1, 1, 0}, 1);
        return new Dataset(Task.BINARY_CLASSIFICATION, 1, points, Optional.of(points));
    }
}

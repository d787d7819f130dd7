package org.backproplab.plugins.datasets;

import java.util.List;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.Plugin;

/** The built-in datasets: XOR, synthetic linear data, and MNIST-format image files. */
public final class DatasetsPlugin implements Plugin {

    @Override
    public List<DatasetFactory<?>> datasets() {
        return List.of(new XorDatasetFactory(), new LinearDatasetFactory(), new IdxImageDatasetFactory(), new PointsDatasetFactory());
    }
}

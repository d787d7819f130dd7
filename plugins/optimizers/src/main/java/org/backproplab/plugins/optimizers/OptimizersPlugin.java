package org.backproplab.plugins.optimizers;

import java.util.List;
import org.backproplab.spi.OptimizerContext;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Plugin;

/** The built-in optimizers: plain or momentum SGD, and Adam. */
public final class OptimizersPlugin implements Plugin {

    @Override
    public List<OptimizerFactory<?>> optimizers() {
        return List.of(new SgdOptimizerFactory(), new AdamOptimizerFactory());
    }
}

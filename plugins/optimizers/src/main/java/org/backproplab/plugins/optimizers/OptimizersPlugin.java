package org.backproplab.plugins.optimizers;

import java.util.List;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Plugin;

/** The built-in optimizers, each following its {@code torch.optim} definition: SGD, Adam, AdamW, RMSProp, Adagrad. */
public final class OptimizersPlugin implements Plugin {

    @Override
    public List<OptimizerFactory<?>> optimizers() {
        return List.of(new SgdOptimizerFactory(), new AdamOptimizerFactory(), new AdamWOptimizerFactory(),
                new RmsPropOptimizerFactory(), new AdagradOptimizerFactory());
    }
}

package org.backproplab.plugins.losses;

import java.util.List;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.Plugin;

/** The built-in losses: squared error, softmax cross-entropy and binary cross-entropy on logits. */
public final class LossesPlugin implements Plugin {

    @Override
    public List<LossFactory<?>> losses() {
        return List.of(new MeanSquaredErrorFactory(), new SoftmaxCrossEntropyFactory(), new BinaryCrossEntropyFactory());
    }
}

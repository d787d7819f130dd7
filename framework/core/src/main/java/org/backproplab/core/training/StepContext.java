package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.backproplab.spi.Step;

/** One optimizer step's arrays, living in the step's manager; the loss is read from the engine once. */
final class StepContext implements Step {

    private final long number;
    private final NDArray inputs;
    private final NDArray targets;
    private final NDArray output;
    private final NDArray loss;
    private final NDManager manager;
    private float lossValue = Float.NaN;
    private boolean lossRead;

    StepContext(long number, NDArray inputs, NDArray targets, NDArray output, NDArray loss, NDManager manager) {
        this.number = number;
        this.inputs = inputs;
        this.targets = targets;
        this.output = output;
        this.loss = loss;
        this.manager = manager;
    }

    @Override
    public long number() {
        return number;
    }

    @Override
    public NDArray inputs() {
        return inputs;
    }

    @Override
    public NDArray targets() {
        return targets;
    }

    @Override
    public NDArray output() {
        return output;
    }

    @Override
    public NDArray loss() {
        return loss;
    }

    @Override
    public float lossValue() {
        if (!lossRead) {
            lossValue = loss.getFloat();
            lossRead = true;
        }
        return lossValue;
    }

    @Override
    public NDManager manager() {
        return manager;
    }
}

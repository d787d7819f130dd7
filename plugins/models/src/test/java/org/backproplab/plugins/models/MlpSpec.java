package org.backproplab.plugins.models;

import java.util.List;

/** The parameters of an {@code mlp} with the defaults of its {@code @Param}s, changed one by one. */
final class MlpSpec {

    private List<Integer> hidden;
    private Integer depth;
    private Integer width;
    private ActivationFunction activation = ActivationFunction.RELU;
    private WeightInitialization init = WeightInitialization.DEFAULT;
    private double std = 0.01;
    private boolean batchNorm;
    private double dropout;
    private boolean residual;
    private MlpModelFactory.OutputActivation outputActivation = MlpModelFactory.OutputActivation.NONE;

    static MlpSpec hidden(Integer... widths) {
        MlpSpec spec = new MlpSpec();
        spec.hidden = List.of(widths);
        return spec;
    }

    static MlpSpec depth(int depth, int width) {
        MlpSpec spec = new MlpSpec();
        spec.depth = depth;
        spec.width = width;
        return spec;
    }

    MlpSpec activation(ActivationFunction value) {
        activation = value;
        return this;
    }

    MlpSpec init(WeightInitialization value) {
        init = value;
        return this;
    }

    MlpSpec std(double value) {
        std = value;
        return this;
    }

    MlpSpec batchNorm() {
        batchNorm = true;
        return this;
    }

    MlpSpec dropout(double rate) {
        dropout = rate;
        return this;
    }

    MlpSpec residual() {
        residual = true;
        return this;
    }

    MlpSpec outputActivation(MlpModelFactory.OutputActivation value) {
        outputActivation = value;
        return this;
    }

    MlpModelFactory.Parameters build() {
        return new MlpModelFactory.Parameters(hidden, depth, width, activation, init, std, 0.01, 1.0, batchNorm, dropout,
                residual, outputActivation);
    }
}

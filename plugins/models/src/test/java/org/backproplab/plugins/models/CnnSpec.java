package org.backproplab.plugins.models;

import java.util.List;

/** The parameters of a {@code cnn} with the defaults of its {@code @Param}s, changed one by one. */
final class CnnSpec {

    private List<Integer> channels = List.of(32, 64);
    private List<Integer> kernels = List.of(3);
    private List<Integer> strides = List.of(1);
    private List<Integer> padding;
    private CnnModelFactory.Pooling pool = CnnModelFactory.Pooling.MAX;
    private int poolSize = 2;
    private boolean batchNorm;
    private List<Integer> dense = List.of(128);
    private double dropout;
    private ActivationFunction activation = ActivationFunction.RELU;
    private WeightInitialization init = WeightInitialization.DEFAULT;

    static CnnSpec defaults() {
        return new CnnSpec();
    }

    CnnSpec channels(Integer... values) {
        channels = List.of(values);
        return this;
    }

    CnnSpec kernels(Integer... values) {
        kernels = List.of(values);
        return this;
    }

    CnnSpec strides(Integer... values) {
        strides = List.of(values);
        return this;
    }

    CnnSpec padding(Integer... values) {
        padding = List.of(values);
        return this;
    }

    CnnSpec pool(CnnModelFactory.Pooling kind, int size) {
        pool = kind;
        poolSize = size;
        return this;
    }

    CnnSpec batchNorm() {
        batchNorm = true;
        return this;
    }

    CnnSpec dense(Integer... widths) {
        dense = List.of(widths);
        return this;
    }

    CnnSpec dropout(double rate) {
        dropout = rate;
        return this;
    }

    CnnSpec activation(ActivationFunction value) {
        activation = value;
        return this;
    }

    CnnSpec init(WeightInitialization value) {
        init = value;
        return this;
    }

    CnnModelFactory.Parameters build() {
        return new CnnModelFactory.Parameters(channels, kernels, strides, padding, pool, poolSize, batchNorm, dense, dropout,
                activation, init, 0.01, 0.01, 1.0);
    }
}

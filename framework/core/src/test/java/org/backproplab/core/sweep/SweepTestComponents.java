package org.backproplab.core.sweep;

import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Map;
import org.backproplab.core.plugin.ComponentCatalog;
import org.backproplab.spi.ComponentFactory;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.LossFactory;
import org.backproplab.spi.LossFunction;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.OptimizerFactory;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/** Components for planning sweeps: only their names and parameter records matter, nothing is created. */
final class SweepTestComponents {

    private SweepTestComponents() {}

    record Points(@Param(value = "number of points", defaultValue = "100") @Positive int count) {}

    enum Activation {
        SIGMOID,
        TANH,
        RELU
    }

    record Net(
            @Param(value = "hidden widths", defaultValue = "[2]") List<@Positive Integer> hidden,
            @Param(value = "activation", defaultValue = "relu") Activation activation) {}

    record Sgd(
            @Param(value = "learning rate", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "momentum", defaultValue = "0.0") @DecimalMin("0") @DecimalMax(value = "1", inclusive = false)
                    double momentum) {}

    record Adam(
            @Param(value = "learning rate", defaultValue = "0.001") @DecimalMin(value = "0", inclusive = false) double lr,
            @Param(value = "beta1", defaultValue = "0.9") double beta1) {}

    static ComponentCatalog catalog() {
        return new ComponentCatalog(
                Map.of("points", new TestDataset()),
                Map.of("net", new TestModel()),
                Map.of("squared", new TestLoss()),
                Map.of("sgd", new TestOptimizer<>("sgd", Sgd.class), "adam", new TestOptimizer<>("adam", Adam.class)),
                Map.of(), Map.of(), Map.of());
    }

    private abstract static class Named<P extends Record> implements ComponentFactory<P> {
        private final String name;
        private final Class<P> parametersType;

        Named(String name, Class<P> parametersType) {
            this.name = name;
            this.parametersType = parametersType;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test component " + name;
        }

        @Override
        public Class<P> parametersType() {
            return parametersType;
        }
    }

    private static final class TestDataset extends Named<Points> implements DatasetFactory<Points> {
        TestDataset() {
            super("points", Points.class);
        }

        @Override
        public Dataset create(Points parameters, DatasetContext context) {
            throw new UnsupportedOperationException("planning never creates components");
        }
    }

    private static final class TestModel extends Named<Net> implements ModelFactory<Net> {
        TestModel() {
            super("net", Net.class);
        }

        @Override
        public Block create(Net parameters, ModelContext context) {
            throw new UnsupportedOperationException("planning never creates components");
        }
    }

    private static final class TestLoss extends Named<NoParameters> implements LossFactory<NoParameters> {
        TestLoss() {
            super("squared", NoParameters.class);
        }

        @Override
        public LossFunction create(NoParameters parameters, Task task) {
            throw new UnsupportedOperationException("planning never creates components");
        }
    }

    private static final class TestOptimizer<P extends Record> extends Named<P> implements OptimizerFactory<P> {
        TestOptimizer(String name, Class<P> parametersType) {
            super(name, parametersType);
        }

        @Override
        public Optimizer create(P parameters, org.backproplab.spi.OptimizerContext context) {
            throw new UnsupportedOperationException("planning never creates components");
        }
    }
}

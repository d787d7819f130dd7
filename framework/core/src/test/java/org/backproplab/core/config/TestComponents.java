package org.backproplab.core.config;

import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
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

/** Small components for loader tests: only their names and parameter records matter. */
final class TestComponents {

    private TestComponents() {}

    /** {@code points}: a generated dataset. */
    record Points(
            @Param(value = "number of points", defaultValue = "100") @Positive int count,
            @Param(value = "standard deviation of the noise", defaultValue = "0.1") @DecimalMin("0") double noise) {}

    /** {@code csv}: a dataset with a required file. */
    record Csv(
            @Param("the CSV file") String path,
            @Param(value = "skip the first line", defaultValue = "true") boolean header) {}

    enum Activation {
        SIGMOID,
        TANH,
        RELU,
        LEAKY_RELU
    }

    /** {@code net}: a small network. */
    record Net(
            @Param(value = "hidden layer widths", defaultValue = "[2]") List<@Positive Integer> hidden,
            @Param(value = "hidden activation", defaultValue = "relu") Activation activation,
            @Param(value = "use biases", defaultValue = "true") boolean bias,
            @Param(value = "dropout probability", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double dropout) {

        @AssertTrue(message = "dropout needs at least one hidden layer")
        public boolean isDropoutApplicable() {
            return dropout == 0 || !hidden.isEmpty();
        }
    }

    /** {@code smoothed}: a loss with a float parameter. */
    record Smoothed(
            @Param(value = "label smoothing", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) float smoothing) {}

    /** {@code sgd}. */
    record Sgd(
            @Param(value = "learning rate", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false)
                    double lr,
            @Param(value = "momentum", defaultValue = "0.0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double momentum,
            @Param(value = "L2 weight decay", defaultValue = "0.0") @DecimalMin("0") double weightDecay,
            @Param(value = "gradient clipping", defaultValue = Param.NONE) @Positive Double clipGrad) {}

    /** {@code adam}. */
    record Adam(
            @Param(value = "learning rate", defaultValue = "0.001") @DecimalMin(value = "0", inclusive = false)
                    double lr,
            @Param(value = "epsilon", defaultValue = "1e-8") @Positive double epsilon,
            @Param(value = "warm-up steps", defaultValue = "0") @PositiveOrZero long warmupSteps) {}

    static ComponentCatalog catalog() {
        return new ComponentCatalog(
                Map.of("points", new TestDataset<>("points", Points.class), "csv", new TestDataset<>("csv", Csv.class)),
                Map.of("net", new TestModel<>("net", Net.class),
                        "linear", new TestModel<>("linear", NoParameters.class)),
                Map.of("squared", new TestLoss<>("squared", NoParameters.class),
                        "smoothed", new TestLoss<>("smoothed", Smoothed.class)),
                Map.of("sgd", new TestOptimizer<>("sgd", Sgd.class), "adam", new TestOptimizer<>("adam", Adam.class)),
                Map.of(), Map.of(), Map.of());
    }

    private abstract static class TestFactory<P extends Record> implements ComponentFactory<P> {
        private final String name;
        private final Class<P> parametersType;

        TestFactory(String name, Class<P> parametersType) {
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

    private static final class TestDataset<P extends Record> extends TestFactory<P> implements DatasetFactory<P> {
        TestDataset(String name, Class<P> parametersType) {
            super(name, parametersType);
        }

        @Override
        public Dataset create(P parameters, DatasetContext context) {
            throw new UnsupportedOperationException("loader tests never create components");
        }
    }

    private static final class TestModel<P extends Record> extends TestFactory<P> implements ModelFactory<P> {
        TestModel(String name, Class<P> parametersType) {
            super(name, parametersType);
        }

        @Override
        public Block create(P parameters, ModelContext context) {
            throw new UnsupportedOperationException("loader tests never create components");
        }
    }

    private static final class TestLoss<P extends Record> extends TestFactory<P> implements LossFactory<P> {
        TestLoss(String name, Class<P> parametersType) {
            super(name, parametersType);
        }

        @Override
        public LossFunction create(P parameters, Task task) {
            throw new UnsupportedOperationException("loader tests never create components");
        }
    }

    private static final class TestOptimizer<P extends Record> extends TestFactory<P> implements OptimizerFactory<P> {
        TestOptimizer(String name, Class<P> parametersType) {
            super(name, parametersType);
        }

        @Override
        public Optimizer create(P parameters, org.backproplab.spi.OptimizerContext context) {
            throw new UnsupportedOperationException("loader tests never create components");
        }
    }
}

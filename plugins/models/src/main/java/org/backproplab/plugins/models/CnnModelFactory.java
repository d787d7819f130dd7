package org.backproplab.plugins.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.ModelContext;
import org.backproplab.spi.ModelFactory;
import org.backproplab.spi.Param;

/**
 * A convolutional network for images {@code [channels, height, width]}: conv → [batch norm] →
 * activation → [pool] blocks, then the flattened feature maps through dense hidden layers (Linear →
 * activation → [dropout]) and a Linear output layer sized by the dataset.
 */
public final class CnnModelFactory implements ModelFactory<CnnModelFactory.Parameters> {

    /** How each convolution block downsamples. */
    public enum Pooling {
        MAX,
        AVG,
        NONE
    }

    /**
     * The parameters of {@code cnn}. {@code kernels}, {@code strides} and {@code padding} give one
     * value for every conv block or one per block.
     */
    public record Parameters(
            @Param(value = "output channels of each conv block, from the input on", defaultValue = "[32, 64]")
                    @NotEmpty List<@Positive Integer> channels,
            @Param(value = "square kernel size: one for all conv blocks or one per block", defaultValue = "[3]")
                    @NotEmpty List<@Positive Integer> kernels,
            @Param(value = "convolution stride: one for all conv blocks or one per block", defaultValue = "[1]")
                    @NotEmpty List<@Positive Integer> strides,
            @Param(value = "zero padding on each side: one for all or one per block; default kernel / 2 (same size for odd kernels)",
                            defaultValue = Param.NONE)
                    List<@Min(0) Integer> padding,
            @Param(value = "pooling after each conv block's activation", defaultValue = "max") Pooling pool,
            @Param(value = "pooling window, also its stride", defaultValue = "2") @Positive int poolSize,
            @Param(value = "batch normalisation after each convolution, before its activation", defaultValue = "false")
                    boolean batchNorm,
            @Param(value = "widths of the dense hidden layers after the conv blocks", defaultValue = "[128]")
                    List<@Positive Integer> dense,
            @Param(value = "dropout rate after each dense hidden layer (0: none); off in evaluation", defaultValue = "0")
                    @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double dropout,
            @Param(value = "activation of conv blocks and dense layers", defaultValue = "relu") ActivationFunction activation,
            @Param(value = "weight initialisation; default is He normal, LeCun normal for selu", defaultValue = "default")
                    WeightInitialization init,
            @Param(value = "standard deviation for init: normal", defaultValue = "0.01") @DecimalMin(value = "0", inclusive = false) double std,
            @Param(value = "negative slope of leaky_relu", defaultValue = "0.01") @DecimalMin("0") double leakyReluSlope,
            @Param(value = "alpha of elu", defaultValue = "1.0") @DecimalMin(value = "0", inclusive = false) double eluAlpha) {

        /** A per-block list must have one value or one per conv block. */
        @AssertTrue(message = "kernels, strides and padding take one value for all conv blocks or one per block (as many as channels)")
        public boolean isPerBlockListsSized() {
            return channels == null || (fits(kernels) && fits(strides) && (padding == null || fits(padding)));
        }

        private boolean fits(List<Integer> values) {
            return values == null || values.size() == 1 || values.size() == channels.size();
        }

        int kernel(int block) {
            return pick(kernels, block);
        }

        int stride(int block) {
            return pick(strides, block);
        }

        int padding(int block) {
            return padding == null ? kernel(block) / 2 : pick(padding, block);
        }

        private static int pick(List<Integer> values, int block) {
            return values.size() == 1 ? values.get(0) : values.get(block);
        }
    }

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public String description() {
        return "Convolutional network for images: conv -> [batch norm] -> activation -> [pool] blocks, then dense layers "
                + "with dropout and a Linear output layer.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Block create(Parameters parameters, ModelContext context) {
        Shape input = context.inputShape();
        if (input.dimension() != 3) {
            throw new ComponentException("model cnn needs images shaped [channels, height, width], but the dataset's examples are "
                    + input + "; use mlp for vectors");
        }
        long height = input.get(1);
        long width = input.get(2);
        SequentialBlock network = new SequentialBlock();
        for (int i = 0; i < parameters.channels().size(); i++) {
            int kernel = parameters.kernel(i);
            int stride = parameters.stride(i);
            int padding = parameters.padding(i);
            height = convolved(height, kernel, stride, padding);
            width = convolved(width, kernel, stride, padding);
            Block pool = pooling(parameters);
            if (pool != null) {
                height = height / parameters.poolSize();
                width = width / parameters.poolSize();
            }
            if (height < 1 || width < 1) {
                throw new ComponentException("model cnn: conv block " + (i + 1) + " (kernel " + kernel + ", stride " + stride
                        + ", padding " + padding + (pool != null ? ", pool " + parameters.poolSize() : "")
                        + ") leaves no feature map of the " + input.get(1) + "x" + input.get(2)
                        + " input; use fewer conv blocks, smaller kernels, strides or pooling, or more padding");
            }
            Conv2d conv = Conv2d.builder()
                    .setFilters(parameters.channels().get(i))
                    .setKernelShape(new Shape(kernel, kernel))
                    .optStride(new Shape(stride, stride))
                    .optPadding(new Shape(padding, padding))
                    .build();
            network.addAll(Layers.withHidden(conv, new Layers.Hidden(activation(parameters), parameters.batchNorm(), 0)));
            if (pool != null) {
                network.add(pool);
            }
        }
        network.add(Blocks.batchFlattenBlock());
        for (int units : parameters.dense()) {
            network.addAll(Layers.dense(units, new Layers.Hidden(activation(parameters), false, parameters.dropout())));
        }
        network.add(Linear.builder().setUnits(context.outputSize()).build());
        Layers.initialise(network, parameters.init(), parameters.std(), parameters.activation());
        return network;
    }

    /** The output length of a convolution along one axis. */
    private static long convolved(long size, int kernel, int stride, int padding) {
        long span = size + 2L * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    private static Block pooling(Parameters parameters) {
        Shape window = new Shape(parameters.poolSize(), parameters.poolSize());
        return switch (parameters.pool()) {
            case MAX -> Pool.maxPool2dBlock(window, window);
            case AVG -> Pool.avgPool2dBlock(window, window);
            case NONE -> null;
        };
    }

    private static Block activation(Parameters parameters) {
        return Layers.activation(parameters.activation(), parameters.leakyReluSlope(), parameters.eluAlpha());
    }
}

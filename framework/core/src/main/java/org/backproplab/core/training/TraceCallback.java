package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.backproplab.spi.Artifact;
import org.backproplab.spi.Callback;
import org.backproplab.spi.Layer;
import org.backproplab.spi.Step;
import org.backproplab.spi.Training;

/**
 * The backward pass of the first steps, layer by layer, as the seed articles lay it out: for each
 * layer z = Wa + b and a = σ(z) from running the network child by child, then, from the output back,
 * ∂L/∂a, σ′(z) and δ = ∂L/∂a ⊙ σ′(z) (δᴸ = ∂L/∂y ⊙ σ′(zᴸ) at the output, δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ σ′(zˡ) below),
 * ∂L/∂W and ∂L/∂b as autograd computed them (checked against Σₙ δₙ aₙᵀ and Σₙ δₙ), and the update the
 * optimizer applied. Printed, and kept as {@code trace/trace.md} and {@code trace/trace.csv}; the metrics
 * {@code delta_norm/layer_NN} and {@code grad_norm_bias/layer_NN} come from the diagnostics, one point a step.
 *
 * <p>∂L/∂ŷ comes from autograd on a detached copy of the output, and each parameterless block's
 * vector-Jacobian product from autograd on a detached copy of its input, so the parameters'
 * gradients, which the optimizer is about to use, are not touched. Traces sequential networks of
 * Linear blocks and parameterless blocks (activations) of at most {@link #MAX_PARAMETERS} parameters.
 */
public final class TraceCallback implements Callback {

    /** Larger models are not traced: the tables would be unreadable. */
    public static final long MAX_PARAMETERS = 100_000;

    private final Loss loss;
    private final int steps;
    private final boolean stopAfter;
    private final PrintStream out;
    private final StringBuilder markdown = new StringBuilder();
    private final StringBuilder csv = new StringBuilder("step,layer,quantity,example,unit,input,value\n");
    private List<Block> children;
    private String unsupported;
    private StepTrace current;

    /**
     * @param loss the run's loss, for ∂L/∂ŷ
     * @param steps how many steps to trace from the first
     * @param stopAfter whether to ask training to stop after them
     * @param out where the tables are printed
     */
    public TraceCallback(Loss loss, int steps, boolean stopAfter, PrintStream out) {
        this.loss = loss;
        this.steps = steps;
        this.stopAfter = stopAfter;
        this.out = out;
    }

    @Override
    public void onTrainStart(Training training) {
        List<Block> flat = new ArrayList<>();
        unsupported = flatten(training.model(), flat);
        long size = training.model().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        if (unsupported == null && size > MAX_PARAMETERS) {
            unsupported = "the model has " + size + " parameters; the trace is for models of at most " + MAX_PARAMETERS;
        }
        if (unsupported != null) {
            out.println("trace: not traced: " + unsupported);
            markdown.append("Not traced: ").append(unsupported).append('\n');
        }
        children = flat;
        markdown.append("# Backward pass of ").append(training.model().getClass().getSimpleName())
                .append(", step by step\n\n");
    }

    /** The leaves of nested sequential blocks, or why the block cannot be traced. */
    private static String flatten(Block block, List<Block> into) {
        if (block instanceof SequentialBlock sequential) {
            for (Block child : sequential.getChildren().values()) {
                String problem = flatten(child, into);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (block instanceof Linear || block.getParameters().isEmpty()) {
            into.add(block);
            return null;
        }
        return "a " + block.getClass().getSimpleName() + " with parameters (only Linear blocks and parameterless blocks"
                + " in sequence are traced)";
    }

    @Override
    public boolean readsBeforeUpdate(Training training) {
        return unsupported == null && training.step() <= steps;
    }

    @Override
    public void beforeUpdate(Training training, Step step) {
        current = null;
        if (unsupported != null || step.number() > steps) {
            return;
        }
        NDManager manager = step.manager();
        List<Layer> layers = training.layers();
        // Forward, child by child: the input and output of every Linear block, and what follows it up to the next one.
        List<LayerTrace> traces = new ArrayList<>();
        NDArray value = step.inputs();
        List<NDArray> childInputs = new ArrayList<>();
        for (Block child : children) {
            childInputs.add(value);
            NDArray output = child.forward(new ParameterStore(manager, false), new NDList(value), true).singletonOrThrow();
            output.attach(manager);
            if (child instanceof Linear) {
                traces.add(new LayerTrace(layers.get(traces.size()), value, output));
            }
            if (!traces.isEmpty()) {
                traces.get(traces.size() - 1).a = output;
            }
            value = output;
        }
        // Backward: ∂L/∂ŷ, then through each child from the output to the input.
        NDArray gradient = lossGradient(value, step.targets(), manager);
        NDArray outputGradient = gradient;
        int layerIndex = traces.size() - 1;
        for (int c = children.size() - 1; c >= 0; c--) {
            Block child = children.get(c);
            if (child instanceof Linear) {
                LayerTrace layer = traces.get(layerIndex--);
                layer.delta = gradient;
                // ∂L/∂a below = δ·W, the (Wˡ⁺¹)ᵀδˡ⁺¹ of the articles, one row per example.
                gradient = gradient.matMul(layer.layer.weight().getArray().stopGradient());
                gradient.attach(manager);
            } else {
                if (layerIndex >= 0) {
                    LayerTrace layer = traces.get(layerIndex);
                    layer.dLda = layer.dLda == null ? gradient : layer.dLda;
                }
                gradient = vectorJacobian(child, childInputs.get(c), gradient, manager);
            }
        }
        for (LayerTrace layer : traces) {
            if (layer.dLda == null) {
                layer.dLda = layer.delta; // nothing follows the Linear block: a = z
            }
            layer.sigmaPrime = layer.dLda == layer.delta ? layer.z.onesLike() : sigmaPrime(layer, manager);
            // Read out now: the optimizer's update zeroes the gradients in place.
            layer.weightGradient = gradientOf(layer.layer.weight().getArray(), manager);
            layer.biasGradient = layer.layer.bias().map(b -> gradientOf(b.getArray(), manager)).orElse(null);
            layer.weightBefore = layer.layer.weight().getArray().toType(DataType.FLOAT64, false).toDoubleArray();
            layer.biasBefore = layer.layer.bias().map(b -> b.getArray().toType(DataType.FLOAT64, false).toDoubleArray()).orElse(null);
        }
        current = new StepTrace(step.number(), training.epoch(), step.lossValue(), step.inputs().toType(DataType.FLOAT64, false).toDoubleArray(),
                step.targets().toType(DataType.FLOAT64, false).toDoubleArray(), value.toType(DataType.FLOAT64, false).toDoubleArray(), outputGradient.toType(DataType.FLOAT64, false).toDoubleArray(), traces);
    }

    /** ∂L/∂ŷ by autograd on a detached copy of the output: the parameters' gradients are not touched. */
    private NDArray lossGradient(NDArray output, NDArray targets, NDManager manager) {
        NDArray leaf = output.stopGradient().duplicate();
        leaf.attach(manager);
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(loss.evaluate(new NDList(targets), new NDList(leaf)));
        }
        NDArray gradient = leaf.getGradient();
        gradient.attach(manager);
        return gradient;
    }

    /** gᵀ·∂child/∂input, by autograd on a detached copy of the input. */
    private static NDArray vectorJacobian(Block child, NDArray input, NDArray gradient, NDManager manager) {
        NDArray leaf = input.stopGradient().duplicate();
        leaf.attach(manager);
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray output = child.forward(new ParameterStore(manager, false), new NDList(leaf), true).singletonOrThrow();
            collector.backward(output.mul(gradient.stopGradient()).sum());
        }
        NDArray result = leaf.getGradient();
        result.attach(manager);
        return result;
    }

    /** σ′(z) of what follows the layer, element by element: its vector-Jacobian product with ones. */
    private NDArray sigmaPrime(LayerTrace layer, NDManager manager) {
        NDArray value = layer.z;
        NDArray ones = layer.z.onesLike();
        // The parameterless children after this layer's Linear block, applied in order, differentiated together.
        NDArray leaf = value.stopGradient().duplicate();
        leaf.attach(manager);
        leaf.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray a = leaf;
            boolean after = false;
            for (Block child : children) {
                if (child instanceof Linear) {
                    if (after) {
                        break;
                    }
                    after = layerLinear(child, layer);
                    continue;
                }
                if (after) {
                    a = child.forward(new ParameterStore(manager, false), new NDList(a), true).singletonOrThrow();
                }
            }
            collector.backward(a.mul(ones).sum());
        }
        NDArray result = leaf.getGradient();
        result.attach(manager);
        return result;
    }

    private static boolean layerLinear(Block child, LayerTrace layer) {
        return child.getParameters().values().stream().anyMatch(p -> p == layer.layer.weight());
    }

    private static double[] gradientOf(NDArray parameter, NDManager manager) {
        NDArray gradient = parameter.getGradient();
        gradient.attach(manager);
        return gradient.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    @Override
    public void afterUpdate(Training training, Step step) {
        if (current == null) {
            return;
        }
        for (LayerTrace layer : current.layers) {
            layer.weightUpdate = difference(layer.layer.weight().getArray().toType(DataType.FLOAT64, false).toDoubleArray(), layer.weightBefore);
            layer.biasUpdate = layer.layer.bias().map(b -> difference(b.getArray().toType(DataType.FLOAT64, false).toDoubleArray(), layer.biasBefore)).orElse(null);
        }
        String text = TraceTables.markdown(current);
        markdown.append(text).append('\n');
        csv.append(TraceTables.csv(current));
        out.print(text);
        out.println();
        if (stopAfter && step.number() >= steps) {
            training.requestStop("traced " + steps + " step" + (steps == 1 ? "" : "s"));
        }
        current = null;
    }

    @Override
    public void onTrainEnd(Training training, String outcome) {
        training.recordArtifact(new Artifact("trace", "trace.md", markdown.toString().getBytes(StandardCharsets.UTF_8)));
        training.recordArtifact(new Artifact("trace", "trace.csv", csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static double[] difference(double[] after, double[] before) {
        double[] change = new double[after.length];
        for (int i = 0; i < after.length; i++) {
            change[i] = after[i] - before[i];
        }
        return change;
    }

    /** One Linear block's part of a step, as arrays of the step (read out before the step ends). */
    static final class LayerTrace {
        final Layer layer;
        final NDArray input;
        final NDArray z;
        NDArray a;
        NDArray dLda;
        NDArray sigmaPrime;
        NDArray delta;
        double[] weightGradient;
        double[] biasGradient;
        double[] weightBefore;
        double[] biasBefore;
        double[] weightUpdate;
        double[] biasUpdate;

        LayerTrace(Layer layer, NDArray input, NDArray z) {
            this.layer = layer;
            this.input = input;
            this.z = z;
            this.a = z;
        }
    }

    /** What one step's trace shows. */
    record StepTrace(long step, int epoch, float loss, double[] inputs, double[] targets, double[] output,
            double[] outputGradient, List<LayerTrace> layers) {}
}

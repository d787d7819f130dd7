package org.backproplab.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.core.config.ModelInitial;
import org.backproplab.spi.Layer;

/**
 * Puts the values of {@code model.initial:} into an initialised block, after checking every one
 * against the parameter it replaces. Layers are the weights in block order ({@code layer_01} next to
 * the input, as in {@code grad_norm/layer_NN}); a layer's bias is the bias of the block that holds
 * its weight. All problems are reported at once, each with the value's position in the file, before
 * anything is written, so a bad value leaves the block as its initialiser made it.
 */
final class InitialParameters {

    private InitialParameters() {}

    /**
     * Initialises the block when it is not yet (with the engine seeded by the caller, so the
     * parameters not given come out as training would make them), then applies the values.
     *
     * @param manager where the block's parameters live from now on; must stay open while the block is used
     * @throws UserFacingException naming each layer whose value does not fit, with both shapes
     */
    static void initialiseAndApply(Block block, ModelInitial initial, NDManager manager, Shape inputShape) {
        if (initial.isEmpty()) {
            return;
        }
        if (!block.isInitialized()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(inputShape));
        }
        apply(block, initial);
    }

    /** Writes the given values into an initialised block, or reports every value that does not fit. */
    static void apply(Block block, ModelInitial initial) {
        List<Layer> slots = Layers.of(block);
        List<String> problems = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        for (ModelInitial.Layer given : initial.layers().values()) {
            int number = Integer.parseInt(given.name().substring("layer_".length()));
            if (number < 1 || number > slots.size()) {
                String where = given.weight().or(given::bias).map(t -> t.position() + ": ").orElse("");
                problems.add(where + "model.initial." + given.name() + ": the model has " + slots.size() + " layer"
                        + (slots.size() == 1 ? "" : "s") + (slots.isEmpty() ? "" : " (" + slots.get(0).name()
                        + (slots.size() > 1 ? " to " + slots.get(slots.size() - 1).name() : "") + ")")
                        + ", no " + given.name());
                continue;
            }
            Layer slot = slots.get(number - 1);
            given.weight().ifPresent(weight -> check(weight, slot, slot.weight(), slot.parameterName(), "weight", problems, writes));
            given.bias().ifPresent(bias -> {
                if (slot.bias().isEmpty()) {
                    problems.add(bias.position() + ": " + bias.path() + ": " + slot.name() + " ("
                            + slot.parameterName() + ") has no bias");
                } else {
                    check(bias, slot, slot.bias().get(), slot.parameterName().replaceFirst("weight$", "bias"), "bias", problems,
                            writes);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException(String.join("\n", problems));
        }
        writes.forEach(Runnable::run);
    }

    private static void check(ModelInitial.Tensor given, Layer slot, Parameter parameter, String parameterName, String what,
            List<String> problems, List<Runnable> writes) {
        NDArray array = parameter.getArray();
        Shape shape = array.getShape();
        Shape givenShape = new Shape(given.shape().stream().mapToLong(Long::longValue).toArray());
        if (!givenShape.equals(shape)) {
            String hint = what.equals("weight") && shape.dimension() == 2
                    ? " (a " + what + " is written as " + shape.get(0) + " rows of " + shape.get(1)
                            + ": one row per output unit, one column per input)"
                    : "";
            problems.add(given.position() + ": " + given.path() + ": shape " + given.shapeText() + " does not fit "
                    + slot.name() + "'s " + what + " " + parameterName + ", whose shape is " + shape + hint);
            return;
        }
        double[] values = given.values();
        writes.add(() -> {
            if (array.getDataType() == DataType.FLOAT64) {
                array.set(DoubleBuffer.wrap(values));
            } else {
                float[] floats = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    floats[i] = (float) values[i];
                }
                array.set(FloatBuffer.wrap(floats));
            }
        });
    }
}

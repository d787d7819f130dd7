package org.backproplab.plugins.models;

import java.util.List;
import org.backproplab.spi.StepScript;

/**
 * An {@code mlp} without batch norm or dropout as TorchScript: DJL's Linear is {@code torch.linear}
 * (for a batch, {@code addmm(bias, x, weight.t())}), its activations are PyTorch's, and the backward pass calls, layer
 * by layer from the output, the operators autograd's formulas for those call ({@code mm} of the transposed gradient
 * for a weight, a sum over the batch for a bias, {@code mm} with the weight for the layer's input, the activation's
 * own backward operator), so the gradients are autograd's bit for bit.
 */
final class MlpScript {

    private MlpScript() {}

    /**
     * The script of an mlp, or null when it has batch norm, dropout, an activation not written here, or a hidden layer
     * of one unit (where autograd may compute the input's gradient in another order for a batch of
     * one).
     */
    static StepScript of(MlpModelFactory.Parameters parameters, boolean flatten) {
        List<Integer> widths = parameters.hiddenWidths();
        if (parameters.batchNorm() || parameters.dropout() > 0 || widths.contains(1)) {
            return null;
        }
        Activation activation = Activation.of(parameters.activation(), (float) parameters.leakyReluSlope(),
                (float) parameters.eluAlpha());
        if (activation == null) {
            return null;
        }
        int layers = widths.size() + 1;
        StringBuilder forward = new StringBuilder(flatten
                ? "x0 = torch.reshape(input, [torch.size(input, 0), -1])\n" : "x0 = input\n");
        for (int k = 1; k <= layers; k++) {
            forward.append("z%d = torch.linear(x%d, p%d, p%d)%n".formatted(k, k - 1, 2 * k - 2, 2 * k - 1));
            if (k < layers) {
                forward.append("a%d = %s%n".formatted(k, activation.forward("z" + k)));
                // DJL's skip connection adds the branch's output to its input: x + f(x), as add(f(x), x).
                forward.append(residual(parameters, k) ? "x%d = torch.add(a%d, x%d)%n".formatted(k, k, k - 1)
                        : "x%d = a%d%n".formatted(k, k));
            }
        }
        boolean sigmoidOutput = parameters.outputActivation() == MlpModelFactory.OutputActivation.SIGMOID;
        forward.append(sigmoidOutput ? "output = torch.sigmoid(z%d)%n".formatted(layers) : "output = z%d%n".formatted(layers));
        StringBuilder backward = new StringBuilder(sigmoidOutput
                ? "grad_z%d = torch.sigmoid_backward(grad_output, output)%n".formatted(layers)
                : "grad_z%d = grad_output%n".formatted(layers));
        for (int k = layers; k >= 1; k--) {
            backward.append("grad_p%d = torch.mm(torch.t(grad_z%d), x%d)%n".formatted(2 * k - 2, k, k - 1));
            backward.append("grad_p%d = torch.sum(grad_z%d, [0])%n".formatted(2 * k - 1, k));
            if (k > 1) {
                // The input's gradient only where it is a hidden layer's output: the batch needs none. Through a skip
                // connection it has two parts, whose sum is the same in either order.
                backward.append(residual(parameters, k)
                        ? "grad_x%d = torch.add(torch.mm(grad_z%d, p%d), grad_x%d)%n".formatted(k - 1, k, 2 * k - 2, k)
                        : "grad_x%d = torch.mm(grad_z%d, p%d)%n".formatted(k - 1, k, 2 * k - 2));
                backward.append("grad_z%d = %s%n".formatted(k - 1, activation.backward("grad_x" + (k - 1), "z" + (k - 1),
                        "a" + (k - 1))));
            }
        }
        return new StepScript(forward.toString(), backward.toString());
    }

    /** Whether hidden layer {@code k} (from 1) has a skip connection around it: all but the first, with residual. */
    private static boolean residual(MlpModelFactory.Parameters parameters, int k) {
        return parameters.residual() && k > 1 && k <= parameters.hiddenWidths().size();
    }

    /**
     * A hidden activation as TorchScript: the operator DJL calls, and the one autograd calls for its gradient. ReLU,
     * sigmoid and tanh run in place (their backward reads their output, not their input), which spares a batch-sized
     * array: in an evaluation's chunks of 2,048 examples 2 MB each.
     */
    private record Activation(String forwardCall, String backwardCall) {

        /** α and λ of SELU, the doubles ATen's {@code selu} hands {@code elu} (its backward is elu's with them). */
        private static final String SELU_ALPHA = "1.6732632423543772848170429916717";
        private static final String SELU_SCALE = "1.0507009873554804934193349852946";

        static Activation of(ActivationFunction function, float leakyReluSlope, float eluAlpha) {
            String slope = Double.toString(leakyReluSlope); // the float as the double DJL hands PyTorch
            String alpha = Double.toString(eluAlpha);
            return switch (function) {
                case RELU -> new Activation("torch.relu_({z})", "torch.threshold_backward({grad}, {x}, 0)");
                case SIGMOID -> new Activation("torch.sigmoid_({z})", "torch.sigmoid_backward({grad}, {x})");
                case TANH -> new Activation("torch.tanh_({z})", "torch.tanh_backward({grad}, {x})");
                case LEAKY_RELU -> new Activation("torch.leaky_relu({z}, " + slope + ")",
                        "torch.leaky_relu_backward({grad}, {z}, " + slope + ", False)");
                case ELU -> new Activation("torch.elu({z}, " + alpha + ")",
                        "torch.elu_backward({grad}, " + alpha + ", 1, 1, False, {z})");
                case SELU -> new Activation("torch.selu({z})",
                        "torch.elu_backward({grad}, " + SELU_ALPHA + ", " + SELU_SCALE + ", 1, False, {z})");
                case GELU -> new Activation("torch.gelu({z})", "torch.gelu_backward({grad}, {z})");
                case IDENTITY -> new Activation("{z}", "{grad}");
                // x / (|x| + 1): autograd adds two paths' gradients, an order this does not reproduce yet.
                case SOFTSIGN -> null;
            };
        }

        String forward(String z) {
            return forwardCall.replace("{z}", z);
        }

        /** @param x the activation's output */
        String backward(String grad, String z, String x) {
            return backwardCall.replace("{grad}", grad).replace("{z}", z).replace("{x}", x);
        }
    }
}

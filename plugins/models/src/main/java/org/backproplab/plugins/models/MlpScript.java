package org.backproplab.plugins.models;

import java.util.List;
import org.backproplab.spi.StepScript;

/**
 * An {@code mlp} as TorchScript: DJL's Linear is {@code torch.linear}
 * (for a batch, {@code addmm(bias, x, weight.t())}), its activations are PyTorch's, and the backward pass calls, layer
 * by layer from the output, the operators autograd's formulas for those call ({@code mm} of the transposed gradient
 * for a weight, a sum over the batch for a bias, {@code mm} with the weight for the layer's input, the activation's
 * own backward operator), so the gradients are autograd's bit for bit.
 */
final class MlpScript {

    private MlpScript() {}

    /**
     * The script of an mlp, or null when it has an activation not written here or a hidden layer of one unit
     * (where autograd may compute the input's gradient in another order for a batch of
     * one).
     */
    static StepScript of(MlpModelFactory.Parameters parameters, boolean flatten) {
        List<Integer> widths = parameters.hiddenWidths();
        if (widths.contains(1)) {
            return null;
        }
        Activation activation = Activation.of(parameters.activation(), (float) parameters.leakyReluSlope(),
                (float) parameters.eluAlpha());
        if (activation == null) {
            return null;
        }
        int layers = widths.size() + 1;
        boolean batchNorm = parameters.batchNorm();
        // Parameters in the block's order: each Linear's weight and bias, then its batch norm's gamma, beta, running
        // mean and running variance.
        int[] weight = new int[layers + 1];
        int next = 0;
        for (int k = 1; k <= layers; k++) {
            weight[k] = next;
            next += batchNorm && k < layers ? 6 : 2;
        }
        String input = flatten ? "x0 = torch.reshape(input, [torch.size(input, 0), -1])\n" : "x0 = input\n";
        StringBuilder forward = new StringBuilder(input);
        StringBuilder evaluation = new StringBuilder(input);
        for (int k = 1; k <= layers; k++) {
            String linear = "z%d = torch.linear(x%d, p%d, p%d)%n".formatted(k, k - 1, weight[k], weight[k] + 1);
            forward.append(linear);
            evaluation.append(linear);
            if (k == layers) {
                break;
            }
            if (batchNorm) {
                // DJL's BatchNorm: torch.batch_norm with PyTorch's momentum, 1 - DJL's; on a CPU its kernel is
                // native_batch_norm's, whose mean and inverse deviation the backward reads.
                int g = weight[k] + 2;
                String statistics = "p%d, p%d, p%d, p%d".formatted(g, g + 1, g + 2, g + 3);
                forward.append("bn%d = torch.native_batch_norm(z%d, %s, True, %s, %s)%n".formatted(k, k, statistics,
                        BN_MOMENTUM, BN_EPSILON));
                forward.append("n%d = bn%d[0]%n".formatted(k, k));
                evaluation.append("n%d = torch.native_batch_norm(z%d, %s, False, %s, %s)[0]%n".formatted(k, k,
                        statistics, BN_MOMENTUM, BN_EPSILON));
            } else {
                forward.append("n%d = z%d%n".formatted(k, k));
                evaluation.append("n%d = z%d%n".formatted(k, k));
            }
            String activated = "a%d = %s%n".formatted(k, activation.forward("n" + k));
            forward.append(activated);
            evaluation.append(activated);
            if (parameters.dropout() > 0) {
                // ATen's dropout on a CPU: noise drawn with bernoulli_(1 - p), divided by 1 - p, times the input,
                // from the same generator in the same order as DJL's eager step. None outside training.
                String keep = Double.toString(1.0 - (float) parameters.dropout());
                forward.append("noise%d = torch.bernoulli_(torch.empty_like(a%d), %s)%n".formatted(k, k, keep));
                forward.append("noise%d = torch.div_(noise%d, %s)%n".formatted(k, k, keep));
                forward.append("d%d = torch.mul(a%d, noise%d)%n".formatted(k, k, k));
            } else {
                forward.append("d%d = a%d%n".formatted(k, k));
            }
            evaluation.append("d%d = a%d%n".formatted(k, k));
            // DJL's skip connection adds the branch's output to its input: x + f(x), as add(f(x), x).
            String joined = residual(parameters, k) ? "x%d = torch.add(d%d, x%d)%n".formatted(k, k, k - 1)
                    : "x%d = d%d%n".formatted(k, k);
            forward.append(joined);
            evaluation.append(joined);
        }
        boolean sigmoidOutput = parameters.outputActivation() == MlpModelFactory.OutputActivation.SIGMOID;
        String output = sigmoidOutput ? "output = torch.sigmoid(z%d)%n".formatted(layers) : "output = z%d%n".formatted(layers);
        forward.append(output);
        evaluation.append(output);
        StringBuilder backward = new StringBuilder(sigmoidOutput
                ? "grad_z%d = torch.sigmoid_backward(grad_output, output)%n".formatted(layers)
                : "grad_z%d = grad_output%n".formatted(layers));
        for (int k = layers; k >= 1; k--) {
            if (k < layers) {
                String gradActivated = "grad_x" + k;
                if (parameters.dropout() > 0) {
                    backward.append("grad_a%d = torch.mul(grad_x%d, noise%d)%n".formatted(k, k, k));
                    gradActivated = "grad_a" + k;
                }
                backward.append("grad_n%d = %s%n".formatted(k, activation.backward(gradActivated, "n" + k, "a" + k)));
                if (batchNorm) {
                    int g = weight[k] + 2;
                    backward.append(("bnb%d = torch.native_batch_norm_backward(grad_n%d, z%d, p%d, p%d, p%d, bn%d[1],"
                            + " bn%d[2], True, %s, [True, True, True])%n").formatted(k, k, k, g, g + 2, g + 3, k, k,
                            BN_EPSILON));
                    backward.append("grad_z%d = bnb%d[0]%n".formatted(k, k));
                    backward.append("grad_p%d = bnb%d[1]%n".formatted(g, k));
                    backward.append("grad_p%d = bnb%d[2]%n".formatted(g + 1, k));
                } else {
                    backward.append("grad_z%d = grad_n%d%n".formatted(k, k));
                }
            }
            // Written into the gradients' arrays (out=), which spares adding them there.
            backward.append("grad_p%d = torch.mm(torch.t(grad_z%d), x%d, out=into_p%d)%n".formatted(weight[k], k, k - 1,
                    weight[k]));
            backward.append("grad_p%d = torch.sum(grad_z%d, [0], out=into_p%d)%n".formatted(weight[k] + 1, k,
                    weight[k] + 1));
            if (k > 1) {
                // The input's gradient only where it is a hidden layer's output: the batch needs none. Through a skip
                // connection it has two parts, whose sum is the same in either order.
                backward.append(residual(parameters, k)
                        ? "grad_x%d = torch.add(torch.mm(grad_z%d, p%d), grad_x%d)%n".formatted(k - 1, k, weight[k], k)
                        : "grad_x%d = torch.mm(grad_z%d, p%d)%n".formatted(k - 1, k, weight[k]));
            }
        }
        return new StepScript(forward.toString(), backward.toString(), evaluation.toString());
    }

    /** DJL's BatchNorm defaults (momentum 0.9, epsilon 1e-5, floats) as the doubles PyTorch receives. */
    private static final String BN_MOMENTUM = Double.toString(1f - 0.9f);
    private static final String BN_EPSILON = Double.toString(1e-5f);

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

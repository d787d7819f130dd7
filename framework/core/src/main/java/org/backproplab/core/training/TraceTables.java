package org.backproplab.core.training;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A traced step as the articles write it: one table per layer, from the output back, the chain rule in the headers. */
final class TraceTables {

    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private TraceTables() {}

    static String markdown(TraceCallback.StepTrace step) {
        List<TraceCallback.LayerTrace> layers = step.layers();
        int examples = (int) layers.get(0).z.getShape().get(0);
        int inputs = step.inputs().length / examples;
        int outputs = step.output().length / examples;
        int targets = step.targets().length / examples;
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "## Step %d (epoch %d): L = %s%n%n", step.step(), step.epoch(), number(step.loss())));
        text.append("| example | x | t | ŷ | ∂L/∂ŷ |\n|---|---|---|---|---|\n");
        for (int n = 0; n < examples; n++) {
            text.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", n + 1, row(step.inputs(), n, inputs),
                    row(step.targets(), n, targets), row(step.output(), n, outputs), row(step.outputGradient(), n, outputs)));
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            TraceCallback.LayerTrace layer = layers.get(l);
            int number = l + 1;
            boolean output = l == layers.size() - 1;
            String upper = superscript(number + 1);
            String here = superscript(number);
            text.append('\n').append("### ").append(layer.layer.name()).append(" (").append(layer.layer.parameterName())
                    .append(output ? "), the output layer: δ" + here + " = ∂L/∂y ⊙ σ′(z" + here + ")"
                            : "): δ" + here + " = (W" + upper + ")ᵀδ" + upper + " ⊙ σ′(z" + here + ")")
                    .append("\n\n");
            text.append("z" + here + " = W" + here + "a" + superscript(number - 1) + " + b" + here + ", a" + here + " = σ(z"
                    + here + "), ∂L/∂a" + here + " = " + (output ? "∂L/∂y" : "(W" + upper + ")ᵀδ" + upper) + "\n\n");
            double[] z = layer.z.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] a = layer.a.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] dLda = layer.dLda.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] sigmaPrime = layer.sigmaPrime.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] delta = layer.delta.toType(DataType.FLOAT64, false).toDoubleArray();
            int units = z.length / examples;
            text.append("| example | unit | z | a = σ(z) | ∂L/∂a | σ′(z) | δ = ∂L/∂a ⊙ σ′(z) |\n|---|---|---|---|---|---|---|\n");
            for (int n = 0; n < examples; n++) {
                for (int j = 0; j < units; j++) {
                    int i = n * units + j;
                    text.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s |%n", n + 1, j + 1, number(z[i]),
                            number(a[i]), number(dLda[i]), number(sigmaPrime[i]), number(delta[i])));
                }
            }
            double[] weightGradient = layer.weightGradient;
            double[] biasGradient = layer.biasGradient;
            int fanIn = weightGradient.length / units;
            text.append("\n| unit | ∂L/∂W" + here + " = Σₙ δₙ (a" + superscript(number - 1) + "ₙ)ᵀ | ∂L/∂b" + here
                    + " = Σₙ δₙ | update of W" + here + " | update of b" + here + " |\n|---|---|---|---|---|\n");
            for (int j = 0; j < units; j++) {
                text.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", j + 1, row(weightGradient, j, fanIn),
                        biasGradient == null ? "-" : number(biasGradient[j]), row(layer.weightUpdate, j, fanIn),
                        layer.biasUpdate == null ? "-" : number(layer.biasUpdate[j])));
            }
            double[] recursion = layer.delta.transpose().matMul(layer.input).toType(DataType.FLOAT64, false).toDoubleArray();
            text.append(String.format(Locale.ROOT, "%nautograd's ∂L/∂W%s and the recursion's Σₙ δₙ aₙᵀ agree to %.1e%s%n", here,
                    maxDifference(weightGradient, recursion),
                    biasGradient == null ? "" : String.format(Locale.ROOT, ", ∂L/∂b%s and Σₙ δₙ to %.1e", here,
                            maxDifference(biasGradient, layer.delta.sum(new int[] {0}).toType(DataType.FLOAT64, false).toDoubleArray()))));
        }
        return text.toString();
    }

    static String csv(TraceCallback.StepTrace step) {
        StringBuilder text = new StringBuilder();
        for (TraceCallback.LayerTrace layer : step.layers()) {
            int examples = (int) layer.z.getShape().get(0);
            String prefix = step.step() + "," + layer.layer.name() + ",";
            perExample(text, prefix, "z", layer.z.toType(DataType.FLOAT64, false).toDoubleArray(), examples);
            perExample(text, prefix, "a", layer.a.toType(DataType.FLOAT64, false).toDoubleArray(), examples);
            perExample(text, prefix, "dL_da", layer.dLda.toType(DataType.FLOAT64, false).toDoubleArray(), examples);
            perExample(text, prefix, "sigma_prime", layer.sigmaPrime.toType(DataType.FLOAT64, false).toDoubleArray(), examples);
            perExample(text, prefix, "delta", layer.delta.toType(DataType.FLOAT64, false).toDoubleArray(), examples);
            int units = (int) layer.z.getShape().get(1);
            perWeight(text, prefix, "dL_dW", layer.weightGradient, units);
            perWeight(text, prefix, "update_W", layer.weightUpdate, units);
            if (layer.biasGradient != null) {
                perWeight(text, prefix, "dL_db", layer.biasGradient, units);
                perWeight(text, prefix, "update_b", layer.biasUpdate, units);
            }
        }
        return text.toString();
    }

    private static void perExample(StringBuilder text, String prefix, String quantity, double[] values, int examples) {
        int units = values.length / examples;
        for (int i = 0; i < values.length; i++) {
            text.append(prefix).append(quantity).append(',').append(i / units + 1).append(',').append(i % units + 1)
                    .append(",,").append(values[i]).append('\n');
        }
    }

    private static void perWeight(StringBuilder text, String prefix, String quantity, double[] values, int units) {
        int fanIn = values.length / units;
        for (int i = 0; i < values.length; i++) {
            text.append(prefix).append(quantity).append(",,").append(i / fanIn + 1).append(',')
                    .append(fanIn == 1 && values.length == units ? "" : String.valueOf(i % fanIn + 1)).append(',')
                    .append(values[i]).append('\n');
        }
    }

    private static double maxDifference(double[] a, double[] b) {
        return IntStream.range(0, Math.min(a.length, b.length)).mapToDouble(i -> Math.abs(a[i] - b[i])).max().orElse(0);
    }

    private static String row(double[] values, int row, int width) {
        return Arrays.stream(values, row * width, row * width + width).mapToObj(TraceTables::number)
                .collect(Collectors.joining(", ", width == 1 ? "" : "[", width == 1 ? "" : "]"));
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    private static String superscript(int number) {
        if (number <= 0) {
            return "⁰";
        }
        StringBuilder text = new StringBuilder();
        for (char digit : Integer.toString(number).toCharArray()) {
            text.append(SUPERSCRIPTS.charAt(digit - '0'));
        }
        return text.toString();
    }
}

package org.backproplab.plugins.optimizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.backproplab.spi.TorchScriptArchive;

/**
 * PyTorch's fused Adam and AdamW updates ({@code torch._fused_adam_} and {@code torch._fused_adamw_}, what
 * {@code torch.optim.Adam(fused=True)} runs): one pass over each parameter, for all of a step's parameters in one
 * call, the gradients zeroed in the same call. DJL's update made nine passes and four temporary arrays per
 * parameter, and one more call to zero the gradient.
 *
 * <p>DJL's PyTorch binding has no call for these operators, but it runs TorchScript modules: this class writes one
 * in memory ({@link TorchScriptArchive}) and loads it once per JVM.
 */
final class FusedAdamUpdate {

    /** The state lists and floats the statements read, after {@code weights} and {@code grads}. */
    static final List<String> STATES = List.of("exp_avgs", "exp_avg_sqs", "steps");
    static final List<String> HYPERPARAMETERS = List.of("lr", "beta1", "beta2", "weight_decay", "eps");

    /** The module's two methods, {@code adam} and {@code adamw}, alike but for the fused operator they call. */
    private static final String METHODS = method("adam", false) + method("adamw", true);

    /**
     * The update: the step counts, then the fused operator; the gradients are left as they are (see {@link
     * org.backproplab.spi.UpdateScript}). The lists are the inputs themselves, which keeps TorchScript from dropping
     * the in-place changes.
     */
    static String statements(boolean decoupled) {
        return """
                torch._foreach_add_(steps, 1)
                torch.%s(weights, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2, \
                weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
                """.formatted(decoupled ? "_fused_adamw_" : "_fused_adam_");
    }

    /** The update as {@link #update} runs it: the statements, then the gradients zeroed, as DJL's updates do. */
    private static String zeroing(boolean decoupled) {
        return statements(decoupled) + "torch._foreach_zero_(grads)\n";
    }

    private static String method(String name, boolean decoupled) {
        StringBuilder arguments = new StringBuilder("weights: List[Tensor], grads: List[Tensor]");
        STATES.forEach(state -> arguments.append(", ").append(state).append(": List[Tensor]"));
        HYPERPARAMETERS.forEach(value -> arguments.append(", ").append(value).append(": float"));
        StringBuilder method = new StringBuilder("  def ").append(name).append("(self: __torch__.FusedAdam, ")
                .append(arguments).append(") -> NoneType:\n");
        zeroing(decoupled).lines().forEach(line -> method.append("    ").append(line).append('\n'));
        return method.append("    return None\n").toString();
    }

    /** Loaded at first use, for the JVM's life (its manager holds the module, which has no arrays). */
    private static final class Module {
        static final PtSymbolBlock BLOCK = load();

        private static PtSymbolBlock load() {
            try {
                return JniUtils.loadModule((PtNDManager) NDManager.newBaseManager("PyTorch"),
                        new ByteArrayInputStream(TorchScriptArchive.of("FusedAdam", METHODS)), false, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // reading a byte array
            }
        }
    }

    private FusedAdamUpdate() {}

    /**
     * One Adam (or, {@code decoupled}, AdamW) step of every weight, as {@code torch.optim} defines it; the moments and
     * each parameter's step count (a float scalar array, counting from 0) are updated in place, and the gradients
     * zeroed.
     */
    static void update(boolean decoupled, List<NDArray> weights, List<NDArray> gradients, List<NDArray> means,
            List<NDArray> variances, List<NDArray> steps, double lr, double beta1, double beta2, double weightDecay,
            double epsilon) {
        List<IValue> inputs = new ArrayList<>(10);
        try {
            inputs.add(list(weights));
            inputs.add(list(gradients));
            inputs.add(list(means));
            inputs.add(list(variances));
            inputs.add(list(steps));
            for (double value : new double[] {lr, beta1, beta2, weightDecay, epsilon}) {
                inputs.add(IValue.from(value));
            }
            IValueUtils.runMethod(Module.BLOCK, decoupled ? "adamw" : "adam", inputs.toArray(IValue[]::new)).close();
        } finally {
            inputs.forEach(IValue::close);
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(array -> (PtNDArray) array).toArray(PtNDArray[]::new));
    }
}

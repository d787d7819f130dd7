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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's fused Adam and AdamW updates ({@code torch._fused_adam_} and {@code torch._fused_adamw_}, what
 * {@code torch.optim.Adam(fused=True)} runs): one pass over each parameter, for all of a step's parameters in one
 * call, the gradients zeroed in the same call. DJL's update made nine passes and four temporary arrays per
 * parameter, and one more call to zero the gradient.
 *
 * <p>DJL's PyTorch binding has no call for these operators, but it runs TorchScript modules. This class writes one in
 * memory, as {@code torch.jit.save} would have written {@link #SOURCE}, and loads it once per JVM: a zip of the
 * module's code, its pickled object and the archive's version, no weights. (Writing it needs no Python, and the
 * source stays readable here.)
 */
final class FusedAdamUpdate {

    /**
     * The module, in the form {@code torch.jit.save} stores code: the TorchScript compiler reads it at load. Two
     * methods, {@code adam} and {@code adamw}, alike but for the fused operator they call.
     */
    private static final String SOURCE = """
            class FusedAdam(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              _is_full_backward_hook : Optional[bool]
            """ + method("adam", "_fused_adam_") + method("adamw", "_fused_adamw_");

    private static String method(String name, String operator) {
        return """
                  def %s(self: __torch__.FusedAdam,
                    params: List[Tensor],
                    grads: List[Tensor],
                    exp_avgs: List[Tensor],
                    exp_avg_sqs: List[Tensor],
                    steps: List[Tensor],
                    lr: float,
                    beta1: float,
                    beta2: float,
                    weight_decay: float,
                    eps: float) -> NoneType:
                    torch._foreach_add_(steps, 1)
                    torch.%s(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2, \
                weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
                    torch._foreach_zero_(grads)
                    return None
                """.formatted(name, operator);
    }

    /** Loaded at first use, for the JVM's life (its manager holds the module, which has no arrays). */
    private static final class Module {
        static final PtSymbolBlock BLOCK = load();

        private static PtSymbolBlock load() {
            try {
                return JniUtils.loadModule((PtNDManager) NDManager.newBaseManager("PyTorch"),
                        new ByteArrayInputStream(archive()), false, false);
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

    /** The TorchScript archive of {@link #SOURCE}: the entries {@code torch.jit.load} reads, stored uncompressed. */
    static byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/data.pkl", modulePickle());
            stored(zip, "archive/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            stored(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The module object as a pickle (protocol 2), as {@code torch.jit.save} writes it: the class {@code
     * __torch__.FusedAdam} made with no arguments, then its two attributes set from a dict.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(0x80); // PROTO 2
        pickle.write(2);
        pickle.writeBytes("c__torch__\nFusedAdam\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        pickle.write(')'); // EMPTY_TUPLE
        pickle.write(0x81); // NEWOBJ
        pickle.write('}'); // EMPTY_DICT
        pickle.write('('); // MARK
        string(pickle, "training");
        pickle.write(0x88); // True
        string(pickle, "_is_full_backward_hook");
        pickle.write('N'); // None
        pickle.write('u'); // SETITEMS
        pickle.write('b'); // BUILD
        pickle.write('.'); // STOP
        return pickle.toByteArray();
    }

    /** BINUNICODE: 'X', the length as four little-endian bytes, the UTF-8 bytes. */
    private static void string(ByteArrayOutputStream pickle, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        pickle.write('X');
        for (int shift = 0; shift < 32; shift += 8) {
            pickle.write(utf8.length >>> shift);
        }
        pickle.writeBytes(utf8);
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}

package org.backproplab.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The archive {@code torch.jit.save} writes for a module that has code and no weights, written here without Python:
 * DJL's PyTorch engine loads it with {@code JniUtils.loadModule} and runs its methods, which lets plugins and the
 * training loop call PyTorch operators DJL has no binding for, or many operators in one call.
 *
 * <p>Hand-written because no library writes these archives outside Python; the format is small: a zip of the module's
 * code, its pickled object, an empty constants table and the archive's version.
 */
public final class TorchScriptArchive {

    private TorchScriptArchive() {}

    /**
     * The archive of a module of class {@code __torch__.className} with the given methods.
     *
     * @param className the class's name, a Python identifier
     * @param methods the methods' definitions, in the form {@code torch.jit.save} stores code: every argument typed,
     *     the first {@code self: __torch__.className}, each line indented by two spaces
     * @return the archive's bytes
     */
    public static byte[] of(String className, String methods) {
        String source = """
                class %s(Module):
                  __parameters__ = []
                  __buffers__ = []
                  training : bool
                  _is_full_backward_hook : Optional[bool]
                """.formatted(className) + methods;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/data.pkl", modulePickle(className));
            stored(zip, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    /**
     * The module object as a pickle (protocol 2), as {@code torch.jit.save} writes it: the class made with no
     * arguments, then its two attributes set from a dict.
     */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(0x80); // PROTO 2
        pickle.write(2);
        pickle.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
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

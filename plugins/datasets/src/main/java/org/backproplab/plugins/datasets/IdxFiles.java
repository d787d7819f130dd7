package org.backproplab.plugins.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.backproplab.spi.ComponentException;

/** Reads the IDX format of MNIST: a magic number, the dimensions, then unsigned bytes. */
final class IdxFiles {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /**
     * Reads {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}, gzipped or
     * raw, as images of shape {@code [1, rows, columns]} kept as bytes.
     */
    static GreyImages read(Path folder, String prefix, Integer limit) {
        Path imagesFile = locate(folder, prefix + "-images-idx3-ubyte");
        Path labelsFile = locate(folder, prefix + "-labels-idx1-ubyte");
        try (DataInputStream images = open(imagesFile); DataInputStream labels = open(labelsFile)) {
            expectMagic(images, IMAGES_MAGIC, imagesFile);
            expectMagic(labels, LABELS_MAGIC, labelsFile);
            int count = images.readInt();
            int rows = images.readInt();
            int columns = images.readInt();
            int labelCount = labels.readInt();
            if (count != labelCount) {
                throw new ComponentException(imagesFile + " holds " + count + " images but " + labelsFile + " " + labelCount + " labels");
            }
            int used = limit == null ? count : Math.min(limit, count);
            int pixels = Math.multiplyExact(rows, columns);
            byte[] imageBytes = images.readNBytes(Math.multiplyExact(used, pixels));
            byte[] labelBytes = labels.readNBytes(used);
            if (imageBytes.length != used * pixels || labelBytes.length != used) {
                throw new ComponentException(imagesFile + " or " + labelsFile + " is truncated");
            }
            return new GreyImages(imageBytes, labelBytes, rows, columns);
        } catch (IOException e) {
            throw new ComponentException("cannot read " + imagesFile + " or " + labelsFile + ": " + e.getMessage(), e);
        }
    }

    private static Path locate(Path folder, String baseName) {
        Path gzipped = folder.resolve(baseName + ".gz");
        if (Files.isRegularFile(gzipped)) {
            return gzipped;
        }
        Path raw = folder.resolve(baseName);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new ComponentException("dataset file " + baseName + "[.gz] is missing from " + folder);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }

    private static void expectMagic(DataInputStream in, int magic, Path file) throws IOException {
        int actual = in.readInt();
        if (actual != magic) {
            throw new ComponentException(file + " is not an IDX file of the expected kind (magic " + Integer.toHexString(actual) + ")");
        }
    }
}

package org.backproplab.plugins.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Examples;

/** Reads the IDX format of MNIST: a magic number, the dimensions, then unsigned bytes. */
final class IdxFiles {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /** Reads {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}, gzipped or raw. */
    static Examples read(Path folder, String prefix, Integer limit) {
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
            int pixels = rows * columns;
            byte[] imageBytes = images.readNBytes(used * pixels);
            byte[] labelBytes = labels.readNBytes(used);
            if (imageBytes.length != used * pixels || labelBytes.length != used) {
                throw new ComponentException(imagesFile + " or " + labelsFile + " is truncated");
            }
            float[] features = new float[used * pixels];
            for (int i = 0; i < features.length; i++) {
                features[i] = (imageBytes[i] & 0xFF) / 255f;
            }
            float[] targets = new float[used];
            for (int i = 0; i < used; i++) {
                targets[i] = labelBytes[i] & 0xFF;
            }
            return new Examples(features, pixels, targets, 1);
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

package org.backproplab.plugins.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.backproplab.spi.ComponentException;

/**
 * Reads the IDX format of MNIST: a magic number, the dimensions, then unsigned bytes. Everything the header
 * declares is checked before it is used (magic numbers, counts, dimensions, sizes that would overflow, the
 * file's length, labels against the classes), so a damaged or crafted file is bad input, never a crash later.
 */
final class IdxFiles {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;

    private IdxFiles() {}

    /**
     * Reads {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}, gzipped or raw, as
     * images of shape {@code [1, rows, columns]} kept as bytes.
     *
     * @param classes labels must be below this
     * @throws ComponentException naming the file, the problem and the value if the files are not consistent IDX files
     */
    static GreyImages read(Path folder, String prefix, Integer limit, int classes) {
        Path imagesFile = locate(folder, prefix + "-images-idx3-ubyte");
        Path labelsFile = locate(folder, prefix + "-labels-idx1-ubyte");
        try (DataInputStream images = open(imagesFile); DataInputStream labels = open(labelsFile)) {
            expectMagic(images, IMAGES_MAGIC, imagesFile, "image");
            expectMagic(labels, LABELS_MAGIC, labelsFile, "label");
            int count = header(images, imagesFile);
            int rows = header(images, imagesFile);
            int columns = header(images, imagesFile);
            int labelCount = header(labels, labelsFile);
            if (count < 0) {
                throw problem(imagesFile, "declares a negative number of images", count);
            }
            if (rows <= 0 || columns <= 0) {
                throw problem(imagesFile, "declares images of " + rows + "x" + columns + " pixels; both must be positive",
                        rows + "x" + columns);
            }
            if (labelCount < 0) {
                throw problem(labelsFile, "declares a negative number of labels", labelCount);
            }
            if (count != labelCount) {
                throw new ComponentException(imagesFile + " holds " + count + " images but " + labelsFile + " "
                        + labelCount + " labels; they must match");
            }
            int pixels;
            try {
                pixels = Math.multiplyExact(rows, columns);
            } catch (ArithmeticException e) {
                throw problem(imagesFile, "declares images of " + rows + "x" + columns + " pixels, more than an array"
                        + " holds", (long) rows * columns);
            }
            long imageBytes = (long) count * pixels; // both below 2^31: no overflow in a long
            expectLength(imagesFile, IMAGES_HEADER_BYTES + imageBytes, count + " images of " + rows + "x" + columns);
            expectLength(labelsFile, LABELS_HEADER_BYTES + (long) count, count + " labels");
            int used = limit == null ? count : Math.min(limit, count);
            int values;
            try {
                values = Math.multiplyExact(used, pixels);
            } catch (ArithmeticException e) {
                throw problem(imagesFile, used + " images of " + pixels + " pixels are more values than an array holds;"
                        + " set a smaller limit", (long) used * pixels);
            }
            byte[] imageData = images.readNBytes(values);
            byte[] labelData = labels.readNBytes(used);
            if (imageData.length != values) {
                throw problem(imagesFile, "is truncated: it declares " + count + " images of " + rows + "x" + columns
                        + " but ends after " + imageData.length + " bytes of pixels", imageData.length);
            }
            if (labelData.length != used) {
                throw problem(labelsFile, "is truncated: it declares " + count + " labels but ends after "
                        + labelData.length, labelData.length);
            }
            for (int i = 0; i < used; i++) {
                int label = labelData[i] & 0xFF;
                if (label >= classes) {
                    throw problem(labelsFile, "holds label " + label + " at position " + i + "; the dataset has "
                            + classes + " classes, so labels go from 0 to " + (classes - 1), label);
                }
            }
            return new GreyImages(imageData, labelData, rows, columns);
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

    private static boolean isGzipped(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (isGzipped(file)) {
            try {
                in = new GZIPInputStream(in, 1 << 16);
            } catch (IOException e) {
                in.close();
                throw new ComponentException(file + " is not a gzip file (" + e.getMessage() + ")", e);
            }
        }
        return new DataInputStream(in);
    }

    private static void expectMagic(DataInputStream in, int magic, Path file, String kind) throws IOException {
        int actual = header(in, file);
        if (actual != magic) {
            throw new ComponentException(file + " is not an IDX " + kind + " file: magic number 0x" + hex(actual)
                    + ", expected 0x" + hex(magic));
        }
    }

    private static int header(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new ComponentException(file + " is too short for an IDX header");
        }
    }

    /** A raw file's length must be what its header declares; a gzipped one is checked while reading. */
    private static void expectLength(Path file, long expected, String declared) throws IOException {
        if (isGzipped(file)) {
            return;
        }
        long actual = Files.size(file);
        if (actual < expected) {
            throw problem(file, "is truncated: its header declares " + declared + " (" + expected + " bytes) but it"
                    + " has " + actual + " bytes", actual);
        }
        if (actual > expected) {
            throw problem(file, "is longer than its header declares: " + declared + " make " + expected + " bytes, it"
                    + " has " + actual, actual);
        }
    }

    private static ComponentException problem(Path file, String problem, Object value) {
        return new ComponentException(file + " " + problem + " (got " + value + ")");
    }

    private static String hex(int value) {
        return String.format("%08x", value);
    }
}

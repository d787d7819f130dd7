package org.backproplab.plugins.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.DatasetContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged or crafted IDX files are bad input naming the file, the problem and the value, never a crash. */
class IdxValidationTest {

    @TempDir
    Path folder;

    @Test
    void consistentFilesAreRead() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, 3, 2, 2, 12, IdxFiles.LABELS_MAGIC, 3, new byte[] {0, 9, 4});
        write("t10k", IdxFiles.IMAGES_MAGIC, 1, 2, 2, 4, IdxFiles.LABELS_MAGIC, 1, new byte[] {1});
        var dataset = create();
        assertThat(((org.backproplab.spi.Examples) dataset.train()).targets()).containsExactly(0f, 9f, 4f);
    }

    @Test
    void aNegativeCountIsRefused() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, -5, 28, 28, 0, IdxFiles.LABELS_MAGIC, -5, new byte[0]);
        assertRefused("train-images-idx3-ubyte", "negative number of images", "-5");
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRefused() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, 1, 65536, 65536, 0, IdxFiles.LABELS_MAGIC, 1, new byte[] {0});
        assertRefused("train-images-idx3-ubyte", "65536x65536", "more than an array holds");
    }

    @Test
    void zeroDimensionsAreRefused() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, 1, 0, 28, 0, IdxFiles.LABELS_MAGIC, 1, new byte[] {0});
        assertRefused("train-images-idx3-ubyte", "0x28", "must be positive");
    }

    @Test
    void aWrongMagicNumberIsRefused() throws IOException {
        write("train", IdxFiles.LABELS_MAGIC, 1, 2, 2, 4, IdxFiles.LABELS_MAGIC, 1, new byte[] {0});
        assertRefused("train-images-idx3-ubyte", "not an IDX image file", "0x00000801");
    }

    @Test
    void aFileShorterThanItsHeaderSaysIsRefused() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, 10, 2, 2, 7, IdxFiles.LABELS_MAGIC, 10, new byte[10]);
        assertRefused("train-images-idx3-ubyte", "truncated", "56 bytes");
    }

    @Test
    void countsThatDisagreeAreRefused() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, 2, 2, 2, 8, IdxFiles.LABELS_MAGIC, 3, new byte[3]);
        assertRefused("2 images", "3 labels");
    }

    @Test
    void aLabelBeyondTheClassesIsRefused() throws IOException {
        write("train", IdxFiles.IMAGES_MAGIC, 3, 2, 2, 12, IdxFiles.LABELS_MAGIC, 3, new byte[] {1, (byte) 200, 2});
        write("t10k", IdxFiles.IMAGES_MAGIC, 1, 2, 2, 4, IdxFiles.LABELS_MAGIC, 1, new byte[] {1});
        assertRefused("train-labels-idx1-ubyte", "label 200 at position 1", "10 classes");
    }

    @Test
    void aFileGivenAsTheFolderIsSaidToBeAFile() throws IOException {
        Path file = Files.writeString(folder.resolve("hostname"), "box\n");
        var parameters = new IdxImageDatasetFactory.Parameters(file.toString(), null, null, IdxImageDatasetFactory.ClassNames.FASHION);
        assertThatThrownBy(() -> new IdxImageDatasetFactory().create(parameters, new DatasetContext(1)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(file + " is a file, not a folder");
    }

    private org.backproplab.spi.Dataset create() {
        return new IdxImageDatasetFactory().create(new IdxImageDatasetFactory.Parameters(folder.toString(), null, null, IdxImageDatasetFactory.ClassNames.FASHION),
                new DatasetContext(1));
    }

    private void assertRefused(String... fragments) {
        assertThatThrownBy(this::create).isInstanceOf(ComponentException.class)
                .satisfies(error -> {
                    for (String fragment : fragments) {
                        assertThat(error.getMessage()).contains(fragment);
                    }
                });
    }

    /** Raw IDX files with the given header fields and {@code pixelBytes} bytes of pixels. */
    private void write(String prefix, int imagesMagic, int count, int rows, int columns, int pixelBytes,
            int labelsMagic, int labelCount, byte[] labels) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + pixelBytes).putInt(imagesMagic).putInt(count).putInt(rows).putInt(columns);
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), images.array());
        ByteBuffer labelFile = ByteBuffer.allocate(8 + labels.length).putInt(labelsMagic).putInt(labelCount).put(labels);
        Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), labelFile.array());
    }
}

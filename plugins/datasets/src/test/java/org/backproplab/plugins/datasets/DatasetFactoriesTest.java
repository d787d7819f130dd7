package org.backproplab.plugins.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.ExampleSource;
import org.backproplab.spi.Examples;
import org.backproplab.spi.NoParameters;
import org.backproplab.spi.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFactoriesTest {

    private static final Path DEBIAN = Path.of(IdxImageDatasetFactory.DEBIAN_FOLDER);

    @Test
    void xorIsTheFourPointsAndItsOwnTestSplit() {
        Dataset xor = new XorDatasetFactory().create(new NoParameters(), new DatasetContext(1));
        assertThat(xor.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
        assertThat(Examples.copyOf(xor.train()).features()).containsExactly(0, 0, 0, 1, 1, 0, 1, 1);
        assertThat(Examples.copyOf(xor.train()).targets()).containsExactly(0, 1, 1, 0);
        assertThat(xor.test()).contains(xor.train());
    }

    @Test
    void linearDataFollowsTheGivenTruthAndTheSeed() {
        var parameters = new LinearDatasetFactory.Parameters(2, 1, 500, 10, 0.0, List.of(2.0, -3.4), List.of(4.2));
        Dataset data = new LinearDatasetFactory().create(parameters, new DatasetContext(5));
        Examples train = Examples.copyOf(data.train());
        assertThat(train.size()).isEqualTo(500);
        for (int i = 0; i < train.size(); i++) {
            double expected = 2.0 * train.features()[2 * i] - 3.4 * train.features()[2 * i + 1] + 4.2;
            assertThat((double) train.targets()[i]).isCloseTo(expected, within(1e-5));
        }
        Dataset again = new LinearDatasetFactory().create(parameters, new DatasetContext(5));
        Dataset otherSeed = new LinearDatasetFactory().create(parameters, new DatasetContext(6));
        assertThat(Examples.copyOf(again.train()).features()).containsExactly(train.features());
        assertThat(Examples.copyOf(otherSeed.train()).features()).isNotEqualTo(train.features());
    }

    @Test
    void linearNoiseHasTheRequestedSpread() {
        var parameters = new LinearDatasetFactory.Parameters(1, 1, 20_000, 0, 0.5, List.of(0.0), List.of(0.0));
        Dataset data = new LinearDatasetFactory().create(parameters, new DatasetContext(9));
        double sumOfSquares = 0;
        for (float target : Examples.copyOf(data.train()).targets()) {
            sumOfSquares += target * target;
        }
        assertThat(Math.sqrt(sumOfSquares / 20_000)).isCloseTo(0.5, within(0.01));
        assertThat(data.test()).isEmpty();
    }

    @Test
    void fashionMnistReadsTheDebianFiles() {
        var parameters = fashion(DEBIAN, 1000, 200);
        Dataset data = new IdxImageDatasetFactory().create(parameters, new DatasetContext(1));
        assertThat(data.task()).isEqualTo(Task.MULTICLASS_CLASSIFICATION);
        assertThat(data.inputShape()).isEqualTo(new Shape(1, 28, 28));
        assertThat(data.inputSize()).isEqualTo(784);
        assertThat(data.classNames()).hasSize(10).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
        assertThat(data.outputSize()).isEqualTo(10);
        assertThat(data.train().size()).isEqualTo(1000);
        assertThat(data.test().orElseThrow().size()).isEqualTo(200);
        for (float label : Examples.copyOf(data.train()).targets()) {
            assertThat(label).isBetween(0f, 9f);
        }
        // Every class appears in the first thousand and pixels are scaled into [0, 1] with real contrast.
        assertThat(distinct(Examples.copyOf(data.train()).targets())).isEqualTo(10);
        float max = 0;
        for (float pixel : Examples.copyOf(data.train()).features()) {
            assertThat(pixel).isBetween(0f, 1f);
            max = Math.max(max, pixel);
        }
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void rawIdxFilesReadLikeGzippedOnes(@TempDir Path folder) throws IOException {
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(DEBIAN.resolve(name + ".gz")))) {
                Files.write(folder.resolve(name), in.readAllBytes());
            }
        }
        var raw = new IdxImageDatasetFactory().create(fashion(folder, 50, 50), new DatasetContext(1));
        var gzipped = new IdxImageDatasetFactory().create(fashion(DEBIAN, 50, 50), new DatasetContext(1));
        assertThat(Examples.copyOf(raw.train()).features()).containsExactly(Examples.copyOf(gzipped.train()).features());
        assertThat(Examples.copyOf(raw.test().orElseThrow()).targets()).containsExactly(Examples.copyOf(gzipped.test().orElseThrow()).targets());
    }

    @Test
    void missingDataNamesTheFolderOrTheDebianPackage(@TempDir Path folder) {
        var debianDefault = fashion(Path.of("/nonexistent/fashion"), null, null);
        assertThatThrownBy(() -> new IdxImageDatasetFactory().create(debianDefault, new DatasetContext(1)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("/nonexistent/fashion does not exist");
        assertThatThrownBy(() -> new IdxImageDatasetFactory().create(fashion(folder, null, null),
                        new DatasetContext(1)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("train-images-idx3-ubyte[.gz] is missing from " + folder);
    }

    @Test
    void imagesReadAsPixelOver255FromTheRawBytes() throws IOException {
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DEBIAN.resolve("t10k-images-idx3-ubyte.gz")))) {
            raw = in.readNBytes(16 + 300 * 784);
        }
        ExampleSource test = new IdxImageDatasetFactory().create(fashion(DEBIAN, 10, 300), new DatasetContext(1)).test().orElseThrow();
        float[] features = new float[2 + 784];
        float[] target = new float[1];
        for (int image = 0; image < 300; image++) {
            test.read(image, features, 2, target, 0);
            for (int pixel = 0; pixel < 784; pixel++) {
                float expected = (raw[16 + image * 784 + pixel] & 0xFF) / 255f;
                if (Float.floatToRawIntBits(features[2 + pixel]) != Float.floatToRawIntBits(expected)) {
                    throw new AssertionError("image " + image + " pixel " + pixel + ": " + features[2 + pixel] + " vs " + expected);
                }
            }
        }
        // The offsets are honoured: nothing was written before featureOffset.
        assertThat(features[0]).isZero();
        assertThat(features[1]).isZero();
    }

    @Test
    void classNamesCanBeLeftOutForMnist() {
        var parameters = new IdxImageDatasetFactory.Parameters(DEBIAN.toString(), 10, 10, IdxImageDatasetFactory.ClassNames.NONE);
        assertThat(new IdxImageDatasetFactory().create(parameters, new DatasetContext(1)).classNames()).isEmpty();
    }

    private static IdxImageDatasetFactory.Parameters fashion(Path folder, Integer limit, Integer testLimit) {
        return new IdxImageDatasetFactory.Parameters(folder.toString(), limit, testLimit, IdxImageDatasetFactory.ClassNames.FASHION);
    }

    private static long distinct(float[] values) {
        return java.util.stream.IntStream.range(0, values.length).mapToObj(i -> values[i]).distinct().count();
    }
}

package org.backproplab.plugins.datasets;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.backproplab.spi.ComponentException;
import org.backproplab.spi.Dataset;
import org.backproplab.spi.DatasetContext;
import org.backproplab.spi.DatasetFactory;
import org.backproplab.spi.Param;
import org.backproplab.spi.Task;

/**
 * Fashion-MNIST (or MNIST: the same IDX format and file names) from a folder, by default the one
 * Debian's {@code dataset-fashion-mnist} package installs. Each image is {@code [1, 28, 28]}, pixels
 * scaled to [0, 1].
 */
public final class IdxImageDatasetFactory implements DatasetFactory<IdxImageDatasetFactory.Parameters> {

    static final String DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist";
    static final int CLASSES = 10;

    /** Fashion-MNIST's labels 0-9, as its authors name them (Xiao, Rasul and Vollgraf 2017). */
    static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Which names the ten classes get in confusion matrices. */
    public enum ClassNames {
        /** Fashion-MNIST's: T-shirt/top, Trouser, ... */
        FASHION,
        /** None: the classes are shown by index, as for MNIST digits. */
        NONE
    }

    /** The parameters of {@code fashion-mnist}. */
    public record Parameters(
            @Param(value = "folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-... files",
                            defaultValue = DEBIAN_FOLDER)
                    @NotBlank String directory,
            @Param(value = "use only the first N training images", defaultValue = Param.NONE) @Positive Integer limit,
            @Param(value = "use only the first N test images", defaultValue = Param.NONE) @Positive Integer testLimit,
            @Param(value = "class names: fashion (T-shirt/top, Trouser, ...) or none (indices, e.g. for MNIST digits)",
                            defaultValue = "fashion")
                    ClassNames classNames) {}

    @Override
    public String name() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST (or MNIST) IDX files, 28×28 grey images in 10 classes; 60 000 train, 10 000 test.";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Dataset create(Parameters parameters, DatasetContext context) {
        Path folder = Path.of(parameters.directory());
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new ComponentException("dataset fashion-mnist: " + folder + " is a file, not a folder; set"
                    + " dataset.directory to the folder holding the IDX files");
        }
        if (!Files.isDirectory(folder)) {
            throw new ComponentException("dataset fashion-mnist: folder " + folder + " does not exist"
                    + (DEBIAN_FOLDER.equals(parameters.directory())
                            ? "; install Debian's package with: sudo apt-get install dataset-fashion-mnist"
                            : "; set dataset.directory to a folder holding the IDX files"));
        }
        GreyImages train = IdxFiles.read(folder, "train", parameters.limit(), CLASSES);
        GreyImages test = IdxFiles.read(folder, "t10k", parameters.testLimit(), CLASSES);
        if (!train.featureShape().equals(test.featureShape())) {
            throw new ComponentException("dataset fashion-mnist: the training images in " + folder + " have the shape "
                    + train.featureShape() + " but the test images " + test.featureShape() + "; they must match");
        }
        return new Dataset(Task.MULTICLASS_CLASSIFICATION, CLASSES, train, Optional.of(test),
                parameters.classNames() == ClassNames.FASHION ? FASHION_CLASSES : List.of());
    }
}

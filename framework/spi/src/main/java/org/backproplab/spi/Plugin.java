package org.backproplab.spi;

import java.util.List;

/**
 * The entry point of a plugin, registered in {@code META-INF/services/org.backproplab.spi.Plugin}.
 *
 * <p>Every kind of extension is a {@code default} method returning an empty list, so a plugin
 * overrides only what it contributes. Component names must be unique across all loaded plugins;
 * a duplicate fails start-up naming both plugins.
 *
 * <h2>SPI versions</h2>
 *
 * <p>The SPI's version is {@link #SPI_VERSION}, the {@code major.minor} of the
 * {@code org.backproplab:backprop-lab-spi} artifact. A plugin jar loaded from a plugin directory
 * records the version of the SPI artifact it was compiled against in its manifest, under
 * {@link #SPI_VERSION_ATTRIBUTE}; the usual way is to let Maven write the same property that
 * chooses the SPI dependency's version:
 *
 * <pre>{@code
 * <plugin>
 *   <artifactId>maven-jar-plugin</artifactId>
 *   <configuration>
 *     <archive>
 *       <manifestEntries>
 *         <Backprop-Lab-SPI-Version>${backprop-lab.version}</Backprop-Lab-SPI-Version>
 *       </manifestEntries>
 *     </archive>
 *   </configuration>
 * </plugin>
 * }</pre>
 *
 * <p>Backprop Lab loads a plugin compiled against SPI {@code a.b} when its own SPI is {@code a.c}
 * with {@code c >= b} and {@code a >= 1} (later minor versions only add), or exactly {@code 0.b}
 * before 1.0 (where every minor version may break plugins). Any other plugin is refused at
 * start-up with both versions named, rather than failing later with a {@link LinkageError}.
 */
public interface Plugin {

    /**
     * The version of this SPI, {@code major.minor}: the first two numbers of the
     * {@code backprop-lab-spi} artifact's version.
     */
    String SPI_VERSION = "0.2";

    /**
     * The manifest attribute in which a plugin jar records the version of the SPI artifact it was
     * compiled against, e.g. {@code Backprop-Lab-SPI-Version: 0.2.0}.
     */
    String SPI_VERSION_ATTRIBUTE = "Backprop-Lab-SPI-Version";

    /**
     * Datasets this plugin contributes, each under its own {@link ComponentFactory#name()}.
     *
     * @return the dataset factories; empty by default
     */
    default List<DatasetFactory<?>> datasets() {
        return List.of();
    }

    /**
     * Models (DJL blocks) this plugin contributes.
     *
     * @return the model factories; empty by default
     */
    default List<ModelFactory<?>> models() {
        return List.of();
    }

    /**
     * Loss functions this plugin contributes.
     *
     * @return the loss factories; empty by default
     */
    default List<LossFactory<?>> losses() {
        return List.of();
    }

    /**
     * Optimizers this plugin contributes.
     *
     * @return the optimizer factories; empty by default
     */
    default List<OptimizerFactory<?>> optimizers() {
        return List.of();
    }

    /**
     * Training callbacks this plugin contributes, for the experiment file's {@code callbacks:} list.
     *
     * @return the callback factories; empty by default
     */
    default List<CallbackFactory<?>> callbacks() {
        return List.of();
    }

    /**
     * Evaluation metrics this plugin contributes, for the experiment file's {@code metrics:} list.
     *
     * @return the metric factories; empty by default
     */
    default List<MetricFactory<?>> metrics() {
        return List.of();
    }

    /**
     * Learning-rate schedules this plugin contributes, for {@code optimizer.schedule}.
     *
     * @return the schedule factories; empty by default
     */
    default List<ScheduleFactory<?>> schedules() {
        return List.of();
    }
}

/**
 * The Backprop Lab plugin SPI: the only types a plugin compiles against.
 *
 * <p>A plugin is a {@link org.backproplab.spi.Plugin} found with {@link java.util.ServiceLoader}. It
 * contributes named component factories, one per kind: {@link org.backproplab.spi.DatasetFactory},
 * {@link org.backproplab.spi.ModelFactory}, {@link org.backproplab.spi.LossFactory} and {@link
 * org.backproplab.spi.OptimizerFactory}. Each factory declares its parameters as a Java record whose
 * components carry {@link org.backproplab.spi.Param} (description and default) and Jakarta Bean
 * Validation constraints; the framework binds the experiment file to that record, reports every
 * problem at once, and hands the factory a valid instance.
 */
package org.backproplab.spi;

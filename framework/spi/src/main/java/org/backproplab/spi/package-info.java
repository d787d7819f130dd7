/**
 * The Backprop Lab plugin SPI: the only types a plugin compiles against.
 *
 * <p>A plugin is a {@link org.backproplab.spi.Plugin} found with {@link java.util.ServiceLoader}. It
 * contributes named component factories, one per kind: {@link org.backproplab.spi.DatasetFactory},
 * {@link org.backproplab.spi.ModelFactory}, {@link org.backproplab.spi.LossFactory}, {@link
 * org.backproplab.spi.OptimizerFactory}, {@link org.backproplab.spi.ScheduleFactory}, {@link
 * org.backproplab.spi.MetricFactory} and {@link org.backproplab.spi.CallbackFactory}. Each factory
 * declares its parameters as a Java record whose components carry {@link org.backproplab.spi.Param}
 * (description and default) and Jakarta Bean Validation constraints; the framework binds the
 * experiment file to that record, reports every problem at once, and hands the factory a valid
 * instance.
 *
 * <p>Data flows in as {@link org.backproplab.spi.ExampleSource}s (in memory: {@link
 * org.backproplab.spi.Examples}) whose examples carry a shape; the model learns the input shape
 * from its {@link org.backproplab.spi.ModelContext}. During training, {@link
 * org.backproplab.spi.Callback}s see each step ({@link org.backproplab.spi.Step}) and the run
 * ({@link org.backproplab.spi.Training}): its {@link org.backproplab.spi.Layer}s with their
 * gradients, and may record metrics and {@link org.backproplab.spi.Artifact}s or stop training.
 */
package org.backproplab.spi;

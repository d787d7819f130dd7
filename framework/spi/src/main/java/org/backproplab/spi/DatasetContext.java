package org.backproplab.spi;

/**
 * What the framework tells a dataset factory.
 *
 * @param seed the experiment seed; synthetic datasets derive their randomness from it so a run is
 *     reproducible
 */
public record DatasetContext(long seed) {}

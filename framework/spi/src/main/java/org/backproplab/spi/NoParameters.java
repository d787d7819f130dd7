package org.backproplab.spi;

/** The parameter record of a component that takes no parameters. */
public record NoParameters() {}

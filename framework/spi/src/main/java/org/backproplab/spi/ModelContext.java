package org.backproplab.spi;

/**
 * What the framework tells a model factory: the sizes the dataset dictates.
 *
 * @param inputSize values per example going in
 * @param outputSize values per example coming out (classes for multiclass classification)
 * @param task the dataset's task
 */
public record ModelContext(int inputSize, int outputSize, Task task) {}

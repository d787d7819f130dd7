package org.backproplab.spi;

import java.nio.ByteBuffer;

/**
 * A split whose features are unsigned bytes, one per value, that {@link ExampleSource#read} gives as
 * {@code b / divisor()} in float arithmetic: grey or colour pixels, say. The framework then copies a
 * batch's bytes and scales them in the engine, a fraction of the cost of writing a float per value in
 * Java, with the same values bit for bit (float division is correctly rounded in both).
 *
 * @see ExampleSource#byteFeatures()
 */
public interface ByteFeatures {

    /**
     * The divisor of every feature byte.
     *
     * @return {@code d > 0}: a byte {@code b} reads as {@code b / d}, e.g. 255 for pixels in [0, 1]
     */
    float divisor();

    /**
     * Copies example {@code index}: its {@link ExampleSource#featureSize()} feature bytes, in the order
     * {@link ExampleSource#read} gives the values, put at the buffer's position (which they advance), and
     * its targets as {@code read} writes them.
     *
     * @param index the example, from 0 to {@code size() - 1}
     * @param features where the bytes go
     * @param targets where the {@link ExampleSource#targetSize()} target values go
     * @param targetOffset the index in {@code targets} of the first value
     * @throws ComponentException when the example cannot be read
     */
    void readBytes(int index, ByteBuffer features, float[] targets, int targetOffset);
}

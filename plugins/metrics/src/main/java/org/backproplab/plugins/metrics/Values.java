package org.backproplab.plugins.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reads an evaluation chunk's arrays into Java, where the metrics add them up in double precision. */
final class Values {

    private Values() {}

    /** The array's elements in row-major order, whatever its type and device. */
    static double[] doubles(NDArray array) {
        try (NDArray wide = array.toType(DataType.FLOAT64, true)) {
            return wide.toDoubleArray();
        }
    }
}

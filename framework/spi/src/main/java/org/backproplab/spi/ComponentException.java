package org.backproplab.spi;

/**
 * A problem a component reports to the user, such as missing data files. The framework prints its
 * message without a stack trace, so the message must say what is wrong and how to fix it.
 */
public class ComponentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A problem with its message alone.
     *
     * @param message what is wrong and how to fix it, e.g. {@code "/data/mnist does not exist; ..."}
     */
    public ComponentException(String message) {
        super(message);
    }

    /**
     * A problem caused by another exception, which is kept for debugging but not shown to the user.
     *
     * @param message what is wrong and how to fix it
     * @param cause the underlying exception, e.g. an {@link java.io.IOException}
     */
    public ComponentException(String message, Throwable cause) {
        super(message, cause);
    }
}

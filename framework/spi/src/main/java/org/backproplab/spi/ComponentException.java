package org.backproplab.spi;

/**
 * A problem a component reports to the user, such as missing data files. The framework prints its
 * message without a stack trace, so the message must say what is wrong and how to fix it.
 */
public class ComponentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ComponentException(String message) {
        super(message);
    }

    public ComponentException(String message, Throwable cause) {
        super(message, cause);
    }
}

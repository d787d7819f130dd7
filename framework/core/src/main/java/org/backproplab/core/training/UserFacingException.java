package org.backproplab.core.training;

/**
 * A problem the user can fix (a GPU that is not there, data that is missing). The command line
 * prints the message alone, without a stack trace.
 */
public class UserFacingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserFacingException(String message) {
        super(message);
    }

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}

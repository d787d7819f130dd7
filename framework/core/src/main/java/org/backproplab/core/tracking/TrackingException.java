package org.backproplab.core.tracking;

/**
 * MLflow tracking could not do what was asked: the server is unreachable, refused a request, or a value
 * breaks one of MLflow's limits. The message is written for users and makes sense without a stack trace.
 */
public class TrackingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrackingException(String message) {
        super(message);
    }

    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}

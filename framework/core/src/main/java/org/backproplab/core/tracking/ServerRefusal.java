package org.backproplab.core.tracking;

/** The server answered, with an HTTP error: {@link #status()} tells a bad request from an unavailable server. */
final class ServerRefusal extends TrackingException {

    private static final long serialVersionUID = 1L;

    private final int status;

    ServerRefusal(String message, int status) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** The request itself is wrong (a changed param, a deleted run): sending it again would fail again. */
    boolean isBadRequest() {
        return status == 400 || status == 413 || status == 422;
    }

    /** Nothing will be accepted until someone acts: credentials refused, or no such run or experiment. */
    boolean isBlocking() {
        return status == 401 || status == 403 || status == 404;
    }
}

package org.backproplab.core.tracking;

import java.io.IOException;
import java.util.function.Supplier;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/** Runs calls of the MLflow Java client, turning its exceptions into {@link TrackingException}s for users. */
final class ClientCalls {

    private final String baseUri;

    ClientCalls(String baseUri) {
        this.baseUri = baseUri;
    }

    /** @param what what the call does, completing "could not ...", e.g. "create run in experiment 3" */
    <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (MlflowHttpException e) {
            throw MlflowRest.failure(baseUri, e.getStatusCode(), ProtoJson.errorMessage(e.getBodyMessage()), what);
        } catch (MlflowClientException e) {
            if (e.getCause() instanceof IOException) {
                throw new TrackingException("MLflow tracking server at " + baseUri + " is unreachable (" + what
                        + "): " + MlflowRest.describe(e) + ".", e);
            }
            throw new TrackingException("Could not " + what + " on the MLflow server at " + baseUri + ": "
                    + e.getMessage(), e);
        }
    }

    void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}

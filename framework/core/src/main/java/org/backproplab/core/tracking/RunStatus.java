package org.backproplab.core.tracking;

import org.mlflow.api.proto.Service;

/** How a run ended, as MLflow shows it. */
public enum RunStatus {
    FINISHED(Service.RunStatus.FINISHED),
    FAILED(Service.RunStatus.FAILED),
    KILLED(Service.RunStatus.KILLED);

    private final Service.RunStatus proto;

    RunStatus(Service.RunStatus proto) {
        this.proto = proto;
    }

    Service.RunStatus proto() {
        return proto;
    }
}

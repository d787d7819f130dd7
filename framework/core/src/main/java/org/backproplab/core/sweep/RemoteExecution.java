package org.backproplab.core.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a sweep's trials run when not in this machine's processes: the executor chosen with {@code --executor}
 * (or {@code sweep.executor}, or {@code LAB_SPARK_MASTER}) and its settings.
 *
 * @param executor the {@link ClusterExecutor#name()} to use, e.g. {@code spark}
 * @param master the cluster's address, e.g. {@code spark://host:7077}, {@code yarn}, {@code k8s://https://host}
 * @param conf the executor's own settings, e.g. {@code spark.executor.memory}, from {@code sweep.executor.conf}
 */
public record RemoteExecution(String executor, String master, Map<String, String> conf) {

    public RemoteExecution {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(master, "master");
        conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }
}

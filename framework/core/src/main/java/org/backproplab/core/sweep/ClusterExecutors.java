package org.backproplab.core.sweep;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.backproplab.core.config.NameSuggester;
import org.backproplab.core.config.SweepDefinition;
import org.backproplab.core.training.UserFacingException;

/** Finds the {@link ClusterExecutor} a sweep asks for among those on the class path, and opens its cluster. */
final class ClusterExecutors {

    private ClusterExecutors() {}

    static ClusterExecutor.Cluster open(RemoteExecution remote, SweepPlan plan, PrintStream out) {
        List<ClusterExecutor> installed = new ArrayList<>();
        ServiceLoader.load(ClusterExecutor.class, ClusterExecutors.class.getClassLoader()).forEach(installed::add);
        ClusterExecutor executor = installed.stream().filter(candidate -> candidate.name().equals(remote.executor()))
                .findFirst().orElse(null);
        if (executor == null) {
            List<String> names = new ArrayList<>(installed.stream().map(ClusterExecutor::name).toList());
            names.add(0, SweepDefinition.Executor.LOCAL);
            throw new UserFacingException("no trial executor '" + remote.executor() + "' on the class path"
                    + NameSuggester.didYouMean(remote.executor(), names) + " (installed: " + String.join(", ", names)
                    + "). ./lab puts the Spark executor's jars on it for --executor spark or when LAB_SPARK_MASTER"
                    + " is set; run a sweep whose file says sweep.executor: spark with one of those.");
        }
        Map<String, String> environment = Map.of("OPT_OUT_TRACKING", "true", "DJL_OFFLINE", "true");
        // The driver's JIT choice too: with C2, an executor of one core spent much of a trial compiling setup code
        // (the lr-sweep on two executors of one core: trials 0.8-2.3 s each with C2, 0.5-1.4 s with C1 only).
        return executor.open(new ClusterExecutor.Settings(remote, "lab sweep " + plan.name(),
                ChildJvm.compilerOptions(), ChildJvm.passedProperties(), environment), out);
    }
}

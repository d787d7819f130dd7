package org.backproplab.core.config;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Renders an experiment's resolved document: as YAML to keep with a run, and as flat run parameters. */
final class ResolvedDocument {

    /** Not hyperparameters: free text and the sweep machinery. */
    private static final Set<String> NOT_PARAMETERS = Set.of("description", "sweep", "objective");

    private ResolvedDocument() {}

    static String toYaml(Map<String, Object> resolved) {
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                // The schema the loader reads with, so that strings like "1e-3" or "true" come back quoted.
                .setSchema(new CoreSchema())
                .setWidth(120)
                .build();
        return new Dump(settings).dumpToString(resolved);
    }

    static SortedMap<String, String> flatten(Map<String, Object> resolved) {
        SortedMap<String, String> flat = new TreeMap<>();
        resolved.forEach((key, value) -> {
            if (!NOT_PARAMETERS.contains(key)) {
                flatten(key, value, flat);
            }
        });
        return Collections.unmodifiableSortedMap(flat);
    }

    private static void flatten(String path, Object value, Map<String, String> flat) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> flatten(path + "." + key, element, flat));
        } else if (value != null) { // an absent optional parameter is no parameter of the run
            flat.put(path, PlainValues.text(value));
        }
    }
}

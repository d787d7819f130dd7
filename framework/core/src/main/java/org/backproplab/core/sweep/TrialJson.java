package org.backproplab.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trial's swept values as JSON: on its run in MLflow (so that a resumed adaptive sweep can rebuild the trials it
 * proposed) and in the command that sends it to a worker. Integers come back as Long and decimals as Double, as
 * the YAML loader reads them, so that the rebuilt trial is the same configuration.
 */
final class TrialJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private TrialJson() {}

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-able: " + value, e);
        }
    }

    /** @throws IllegalArgumentException if it is not a JSON object */
    static Map<String, Object> values(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object of values: " + json, e);
        }
    }
}

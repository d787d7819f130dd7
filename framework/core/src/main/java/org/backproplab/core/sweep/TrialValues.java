package org.backproplab.core.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.backproplab.core.config.SourcePosition;

/**
 * The swept values of one trial, before it is loaded: path to plain YAML value, in the order of
 * {@code sweep.parameters}, with where each value came from in the file (its list entry, or the distribution it
 * was drawn from) so that a problem it causes can point there.
 *
 * @param values path to value; a parameter scoped with {@code when:} that does not apply to this trial is absent
 * @param origins path to the position of the value's source in the file
 */
record TrialValues(Map<String, Object> values, Map<String, SourcePosition> origins) {

    TrialValues {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    static TrialValues none() {
        return new TrialValues(Map.of(), Map.of());
    }

    /** These values and {@code path = value}, placed after the others. */
    TrialValues with(String path, Object value, SourcePosition origin) {
        Map<String, Object> moreValues = new LinkedHashMap<>(values);
        moreValues.put(path, value);
        Map<String, SourcePosition> moreOrigins = new LinkedHashMap<>(origins);
        moreOrigins.put(path, origin);
        return new TrialValues(moreValues, moreOrigins);
    }
}

package org.backproplab.core.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trial as the sampler sees it: its parameters (internal representation) and how it went, the value always to
 * be minimised (a maximised objective is negated by the caller).
 *
 * @param number the trial's number: older trials weigh less once there are more than 25
 * @param params name to value, only the parameters that apply to the trial
 * @param state how it went
 * @param value a complete trial's objective; a pruned trial's last reported value (NaN if none)
 * @param step a pruned trial's last reported step
 */
public record Observation(int number, Map<String, Double> params, State state, double value, long step) {

    /** How a trial went, for the sampler. */
    public enum State {
        COMPLETE,
        PRUNED,
        /** Still running: with the constant liar it counts among the bad trials, so others avoid its region. */
        RUNNING
    }

    public Observation {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static Observation complete(int number, Map<String, Double> params, double value) {
        return new Observation(number, params, State.COMPLETE, value, 0);
    }

    public static Observation pruned(int number, Map<String, Double> params, long step, double lastValue) {
        return new Observation(number, params, State.PRUNED, lastValue, step);
    }

    public static Observation running(int number, Map<String, Double> params) {
        return new Observation(number, params, State.RUNNING, Double.NaN, 0);
    }
}

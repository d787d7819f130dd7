package org.backproplab.spi;

/**
 * Makes a {@link Schedule} from the block {@code optimizer.schedule: {type: ..., ...}}.
 *
 * @param <P> the parameter record
 */
public interface ScheduleFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Builds the schedule.
     *
     * @param parameters the component's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @param context the length of training, in steps
     * @return the schedule
     * @throws ComponentException when the parameters do not fit the run (a decay step beyond the end, ...)
     */
    Schedule create(P parameters, ScheduleContext context);
}

package org.backproplab.spi;

/**
 * Makes a {@link Callback} from one entry of the experiment file's {@code callbacks:} list.
 *
 * @param <P> the parameter record
 */
public interface CallbackFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Builds the callback for one run; a new one for every run.
     *
     * @param parameters the entry's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @return the callback
     * @throws ComponentException when the parameters cannot make a callback
     */
    Callback create(P parameters);
}

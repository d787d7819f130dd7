package org.backproplab.spi;

/**
 * Makes a {@link Dataset} from its parameters.
 *
 * @param <P> the parameter record
 */
public interface DatasetFactory<P extends Record> extends ComponentFactory<P> {

    /**
     * Loads or generates the dataset.
     *
     * @param parameters the component's parameters from the experiment file, defaults filled in and
     *     constraints checked
     * @param context what the framework tells the dataset, such as the experiment's seed
     * @return the dataset
     *
     * @throws ComponentException when the data cannot be had (missing files, ...), with a message
     *     that tells the user how to fix it
     */
    Dataset create(P parameters, DatasetContext context);
}

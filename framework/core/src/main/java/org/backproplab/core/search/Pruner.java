package org.backproplab.core.search;

/**
 * Decides, from the objective's intermediate values, whether a trial should stop early. Trials are numbered by the
 * caller; values are the objective as logged (the pruner knows whether higher is better). Thread-safe.
 */
public interface Pruner {

    /**
     * Records trial {@code trial}'s objective {@code value} at optimizer step {@code step} and decides.
     *
     * @return why the trial should stop now, or {@code null} to let it go on
     */
    String report(int trial, long step, double value);

    /** Trial {@code trial} ran to its end (was not pruned): it now counts as a completed trial. */
    void completed(int trial);
}

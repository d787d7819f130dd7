package org.backproplab.core.sweep;

import org.backproplab.core.run.ProgressDisplay;

/**
 * Somewhere a sweep's trials run: in this process, in worker processes, on a cluster. It takes trials from the
 * feed until the feed has none (a TPE feed proposes each when asked, so an executor asks whenever it has room),
 * reports each trial's intermediate objective to {@link TrialFeed#report} at every evaluation and stops the
 * trial when that answers with a reason, and tells the feed how each trial ended.
 */
interface TrialExecutor {

    /** Runs trials from {@code feed} until it has no more, or the sweep stops; returns when every started one ended. */
    void run(TrialFeed feed, ProgressDisplay display);
}

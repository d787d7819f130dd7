package org.backproplab.core.run;

import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBarConsumer;

/** Where a progress bar is drawn in tests: every rendering, and whether the bar was closed. */
final class RecordingBarConsumer implements ProgressBarConsumer {

    private final List<String> renderings = new ArrayList<>();
    private boolean closed;

    @Override
    public int getMaxRenderedLength() {
        return 160;
    }

    @Override
    public synchronized void accept(String rendered) {
        renderings.add(rendered);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized String last() {
        return renderings.isEmpty() ? "" : renderings.get(renderings.size() - 1);
    }

    synchronized int count() {
        return renderings.size();
    }
}

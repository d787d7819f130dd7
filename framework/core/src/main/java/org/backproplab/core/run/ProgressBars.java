package org.backproplab.core.run;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** The look of the command line's progress bars, drawn on standard error so standard output stays the results'. */
final class ProgressBars {

    private ProgressBars() {}

    /**
     * A bar over {@code max} units ({@code -1} while unknown).
     *
     * @param consumer where the rendered bar goes; {@code null} for the terminal (standard error)
     */
    static ProgressBar start(String task, long max, ProgressBarConsumer consumer) {
        FirstRender target = new FirstRender(consumer != null ? consumer : new ConsoleProgressBarConsumer(System.err));
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(200)
                .setConsumer(target)
                .build();
        // progressbar 0.10.1 treats its first refresh as the first drawing even when it comes from close(), and
        // then never ends the line: a bar closed within milliseconds would leave the cursor after it. The first
        // refresh is scheduled at once, so this wait is a few milliseconds.
        target.awaitFirstRender();
        return bar;
    }

    /** {@code 42.1 s}, {@code 3 min 05 s}, {@code 1 h 02 min}. */
    static String duration(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }

    /** Passes renderings on, and tells when the first one has been drawn. */
    private static final class FirstRender implements ProgressBarConsumer {

        private final ProgressBarConsumer delegate;
        private final CountDownLatch drawn = new CountDownLatch(1);

        FirstRender(ProgressBarConsumer delegate) {
            this.delegate = delegate;
        }

        void awaitFirstRender() {
            try {
                drawn.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public int getMaxRenderedLength() {
            return delegate.getMaxRenderedLength();
        }

        @Override
        public void accept(String rendered) {
            delegate.accept(rendered);
            drawn.countDown();
        }

        @Override
        public void clear() {
            delegate.clear();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

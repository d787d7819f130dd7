package org.backproplab.core.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.backproplab.core.run.ConsoleMode;
import org.slf4j.LoggerFactory;

/**
 * The log levels of {@code --verbose} (DEBUG for org.backproplab) and {@code --quiet} (errors only),
 * over the defaults of logback.xml; closing restores those. Without Logback (another SLF4J binding
 * on the class path) the levels are left to that binding's configuration.
 */
final class LogLevels implements AutoCloseable {

    private static final String LAB_LOGGER = "org.backproplab";

    private final Logger lab;
    private final Logger root;
    private final Level labBefore;
    private final Level rootBefore;

    private LogLevels(Logger lab, Logger root) {
        this.lab = lab;
        this.root = root;
        this.labBefore = lab == null ? null : lab.getLevel();
        this.rootBefore = root == null ? null : root.getLevel();
    }

    static LogLevels apply(ConsoleMode.Verbosity verbosity) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new LogLevels(null, null);
        }
        LogLevels levels = new LogLevels(context.getLogger(LAB_LOGGER), context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        switch (verbosity) {
            case VERBOSE -> levels.lab.setLevel(Level.DEBUG);
            case QUIET -> {
                levels.lab.setLevel(Level.ERROR);
                levels.root.setLevel(Level.ERROR);
            }
            case NORMAL -> {
                // logback.xml's levels
            }
        }
        return levels;
    }

    @Override
    public void close() {
        if (lab != null) {
            lab.setLevel(labBefore);
            root.setLevel(rootBefore);
        }
    }
}

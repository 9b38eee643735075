package net.lightqueue.host;

import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * A plugin that cannot load or start stops the broker. The broker logs such failures in its
 * own words deep in a stack trace, so we also write one line that names the plugin, the phase
 * and the cause to the log and to stderr, where an operator starting the broker looks first.
 */
final class PluginFailure extends RuntimeException {

    private static final Logger LOG = LoggerFactory.getLogger(PluginFailure.class);

    private PluginFailure(String message, Throwable cause) {
        super(message, cause);
    }

    static PluginFailure report(String pluginName, String phase, Throwable cause) {
        String message = "plugin '" + pluginName + "' failed to " + phase + ": " + describe(cause);
        LOG.error(message, cause);
        System.err.println("ERROR " + message);
        return new PluginFailure(message, cause);
    }

    private static String describe(Throwable cause) {
        String text = cause.getMessage();
        return text == null ? cause.getClass().getName() : text;
    }
}

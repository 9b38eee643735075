package net.lightqueue.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Logger;
import org.apache.rocketmq.logging.ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.rocketmq.logging.ch.qos.logback.core.AppenderBase;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Collects what the plugin logs that points at a bug rather than at a client: errors, warnings
 * other than the expected ones, and exceptions that reached a connection's exceptionCaught
 * (logged as "connection error").
 */
final class BrokerLogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger;
    private final Predicate<String> expected;
    private final List<String> unexpected = new ArrayList<>();

    private BrokerLogWatch(Logger logger, Predicate<String> expected) {
        this.logger = logger;
        this.expected = expected;
    }

    /**
     * Watches the loggers {@code net.lightqueue.*}.
     *
     * @param expected tells the known warnings and connection errors
     */
    static BrokerLogWatch attach(Predicate<String> expected) {
        if (!(LoggerFactory.getLogger("net.lightqueue") instanceof Logger logger)) {
            throw new IllegalStateException("the broker's logging is not logback; cannot watch it");
        }
        BrokerLogWatch watch = new BrokerLogWatch(logger, expected);
        watch.setContext(logger.getLoggerContext());
        watch.start();
        logger.addAppender(watch);
        return watch;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        boolean bug = event.getLevel().isGreaterOrEqual(Level.ERROR)
            || (event.getLevel() == Level.WARN || message.contains("connection error: ")) && !expected.test(message);
        if (bug) {
            unexpected.add(event.getLevel() + " " + event.getLoggerName() + ": " + message
                + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()));
        }
    }

    /** What was logged unexpectedly since the last call. */
    synchronized List<String> drain() {
        List<String> found = List.copyOf(unexpected);
        unexpected.clear();
        return found;
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}

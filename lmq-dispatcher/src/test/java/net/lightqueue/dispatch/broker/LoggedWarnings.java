package net.lightqueue.dispatch.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Logger;
import org.apache.rocketmq.logging.ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.rocketmq.logging.ch.qos.logback.core.AppenderBase;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/** The warnings and errors the dispatcher logs (loggers {@code net.lightqueue.*}) while attached, for tests that expect one. */
final class LoggedWarnings extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LoggedWarnings(Logger logger) {
        this.logger = logger;
    }

    static LoggedWarnings attach() {
        if (!(LoggerFactory.getLogger("net.lightqueue") instanceof Logger logger)) {
            throw new IllegalStateException("the broker's logging is not logback; cannot watch it");
        }
        LoggedWarnings warnings = new LoggedWarnings(logger);
        warnings.setContext(logger.getLoggerContext());
        warnings.start();
        logger.addAppender(warnings);
        return warnings;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            messages.add(event.getLevel() + " " + event.getFormattedMessage());
        }
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}

package net.lightqueue.dispatch.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Level;
import org.apache.rocketmq.logging.ch.qos.logback.classic.Logger;
import org.apache.rocketmq.logging.ch.qos.logback.classic.spi.ILoggingEvent;
import org.apache.rocketmq.logging.ch.qos.logback.core.AppenderBase;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/** The errors the dispatcher logs (loggers {@code net.lightqueue.*}) while attached, for tests that expect one. */
final class LoggedErrors extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LoggedErrors(Logger logger) {
        this.logger = logger;
    }

    static LoggedErrors attach() {
        if (!(LoggerFactory.getLogger("net.lightqueue") instanceof Logger logger)) {
            throw new IllegalStateException("the broker's logging is not logback; cannot watch it");
        }
        LoggedErrors errors = new LoggedErrors(logger);
        errors.setContext(logger.getLoggerContext());
        errors.start();
        logger.addAppender(errors);
        return errors;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            messages.add(event.getFormattedMessage());
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

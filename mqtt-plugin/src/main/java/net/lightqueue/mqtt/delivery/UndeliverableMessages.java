package net.lightqueue.mqtt.delivery;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.rocketmq.logging.org.slf4j.Logger;
import org.apache.rocketmq.logging.org.slf4j.LoggerFactory;

/**
 * Messages skipped for a subscriber because they cannot become a PUBLISH for it: larger than
 * its Maximum Packet Size, or failing to convert, or expired before they could be sent. The
 * subscription moves past them; they are counted ({@code $SYS/broker/publish/messages/dropped})
 * and, but for expiry, which is what the publisher asked for, logged at most once per interval,
 * with how many went unlogged since. Shared by all connections.
 */
public final class UndeliverableMessages {

    /** Why a message was skipped, as the broker's metrics label it. */
    public enum Reason {
        TOO_LARGE("too_large"),
        NOT_CONVERTIBLE("not_convertible"),
        /** Its Message Expiry Interval passed before it was sent [MQTT-3.3.2-5]. */
        EXPIRED("expired");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("net.lightqueue.mqtt.delivery");
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LongAdder[] byReason = new LongAdder[Reason.values().length];
    private final LongAdder unlogged = new LongAdder();
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

    public UndeliverableMessages() {
        Arrays.setAll(byReason, reason -> new LongAdder());
    }

    /**
     * @param queue the subscription's filter (its light queue)
     * @param detail what the log line says about the reason
     */
    void skipped(String clientId, String queue, long queueOffset, Reason reason, String detail) {
        byReason[reason.ordinal()].increment();
        long now = System.nanoTime();
        long next = nextLogNanos.get();
        if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            LOG.warn("message at offset {} of queue '{}' skipped for client '{}': {} ({} more skipped since the last report)",
                queueOffset, queue, clientId, detail, unlogged.sumThenReset());
        } else {
            unlogged.increment();
        }
    }

    /** A message expired before it was sent: counted, not logged. */
    void expired() {
        byReason[Reason.EXPIRED.ordinal()].increment();
    }

    public long count() {
        return Arrays.stream(byReason).mapToLong(LongAdder::sum).sum();
    }

    public long count(Reason reason) {
        return byReason[reason.ordinal()].sum();
    }
}

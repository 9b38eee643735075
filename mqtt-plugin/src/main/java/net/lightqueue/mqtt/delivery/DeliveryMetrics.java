package net.lightqueue.mqtt.delivery;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import net.lightqueue.dispatch.StoredMessage;

/**
 * What every session's deliveries report to the broker's metrics: the QoS 1/2 deliveries that
 * await acknowledgement, and how long messages took from the store to their first write. A
 * change costs a counter add or one recorded value; the metrics read them when collected.
 */
public final class DeliveryMetrics {

    private static final LongConsumer NOT_RECORDED = millis -> { };

    private final LongAdder inflight = new LongAdder();
    private volatile LongConsumer storeToWrite = NOT_RECORDED;

    /** QoS 1/2 deliveries of the sessions in memory (those of connected clients) not yet completed. */
    public long inflight() {
        return inflight.sum();
    }

    /** Where the milliseconds from store to first write go from now on; null stops recording them. */
    public void recordLatencyTo(LongConsumer recorder) {
        storeToWrite = recorder == null ? NOT_RECORDED : recorder;
    }

    LongAdder inflightCounter() {
        return inflight;
    }

    /** A message from a queue was written to a subscriber for the first time. */
    void firstWritten(StoredMessage message, long nowMillis) {
        storeToWrite.accept(Math.max(0, nowMillis - message.storeTimestamp()));
    }
}

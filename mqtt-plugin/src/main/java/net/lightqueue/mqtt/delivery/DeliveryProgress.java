package net.lightqueue.mqtt.delivery;

import java.util.concurrent.CompletableFuture;

/** Records what the deliveries of a session's subscriptions achieved, so a resumed session goes on from there. */
public interface DeliveryProgress {

    /** The cursor moved or its unacknowledged deliveries changed; {@code completed} deliveries ended. */
    void advanced(Cursor cursor, int completed);

    /**
     * Records the cursor at the end of this event-loop turn, with everything else asked in it (a
     * PUBREC before its PUBREL, QoS 2 packet ids before their PUBLISH): completes once recorded.
     */
    CompletableFuture<?> recordThisTurn(Cursor cursor);

    /** The client unsubscribed: what was recorded for the cursor goes. */
    void removed(Cursor cursor);
}

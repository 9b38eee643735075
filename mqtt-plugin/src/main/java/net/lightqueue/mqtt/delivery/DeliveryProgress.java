package net.lightqueue.mqtt.delivery;

import java.util.concurrent.CompletableFuture;

/** Records what the deliveries of a session's subscriptions achieved, so a resumed session goes on from there. */
public interface DeliveryProgress {

    /** The cursor moved or its unacknowledged deliveries changed; {@code completed} deliveries ended. */
    void advanced(Cursor cursor, int completed);

    /** Records the cursor now, for a PUBREC: completes once recorded, before PUBREL is sent. */
    CompletableFuture<?> recordNow(Cursor cursor);

    /** The client unsubscribed: what was recorded for the cursor goes. */
    void removed(Cursor cursor);
}

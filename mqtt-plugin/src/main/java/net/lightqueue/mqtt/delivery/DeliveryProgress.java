package net.lightqueue.mqtt.delivery;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.mqtt.session.Cursor;

/** Told what the deliveries of a session achieved, so its progress can be recorded. */
public interface DeliveryProgress {

    /** The cursor moved or its unacknowledged deliveries changed; {@code completed} deliveries ended. */
    void advanced(Cursor cursor, int completed);

    /** The client's PUBREC for a delivery of the cursors: completes once recorded, before PUBREL is sent. */
    CompletableFuture<?> released(List<Cursor> cursors);
}

package net.lightqueue.mqtt.delivery;

import net.lightqueue.dispatch.QueueReads;

/** Opens the cursors of sessions' subscriptions over the light queues of this broker. */
public final class QueueCursors {

    private final QueueReads queues;
    private final ArrivalRouter router;

    public QueueCursors(QueueReads queues, ArrivalRouter router) {
        this.queues = queues;
        this.router = router;
    }

    /**
     * A cursor over the filter's queue from {@code startOffset}; it calls {@code wake} when the
     * queue grows and tells {@code progress} what its deliveries achieved.
     */
    public Cursor open(String filter, SubscriptionOptions options, long startOffset, DeliveryProgress progress,
                       Runnable wake) {
        return QueueCursor.open(filter, options, startOffset, queues, router, progress, wake);
    }
}

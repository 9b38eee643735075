package net.lightqueue.mqtt.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import net.lightqueue.dispatch.QueueReads;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;

/**
 * A subscription's position in its filter's light queue. It listens for the queue's growth
 * itself and wakes its session; what it delivered is recorded by the session's
 * {@link DeliveryProgress}. Confined to the session's event loop, except {@link #arrived}.
 */
public final class QueueCursor extends SubscriptionPosition implements QueueWatcher {

    // A field and an updater, not an AtomicLong: one object fewer for every subscription.
    private static final AtomicLongFieldUpdater<QueueCursor> SIGNALLED_END =
        AtomicLongFieldUpdater.newUpdater(QueueCursor.class, "signalledEnd");

    private final QueueReads queues;
    private final ArrivalRouter router;
    private final DeliveryProgress progress;
    private final Runnable wake;
    /** The queue's end as last signalled by the dispatcher, from its signal thread. */
    private volatile long signalledEnd;
    private long knownEnd;

    private QueueCursor(String filter, SubscriptionOptions options, long startOffset, QueueReads queues,
                        ArrivalRouter router, DeliveryProgress progress, Runnable wake) {
        super(filter, options, startOffset);
        this.knownEnd = startOffset;
        this.queues = queues;
        this.router = router;
        this.progress = progress;
        this.wake = wake;
    }

    /** A cursor from {@code startOffset} that listens for arrivals, then reads the queue's end: nothing arrives unseen. */
    static QueueCursor open(String filter, SubscriptionOptions options, long startOffset, QueueReads queues,
                            ArrivalRouter router, DeliveryProgress progress, Runnable wake) {
        QueueCursor cursor = new QueueCursor(filter, options, startOffset, queues, router, progress, wake);
        router.add(filter, cursor);
        cursor.refreshEnd();
        return cursor;
    }

    @Override
    public ReadResult read(int count) {
        return queues.read(name(), nextOffset(), count);
    }

    @Override
    public void advance(long next, boolean foundNothing) {
        super.advance(next, foundNothing);
        if (foundNothing) {
            knownEnd = next;
        }
    }

    @Override
    public boolean mayHaveMessages() {
        long signalled = signalledEnd;
        if (signalled > knownEnd) {
            knownEnd = signalled;
        }
        return nextOffset() < knownEnd;
    }

    @Override
    public void refreshEnd() {
        SIGNALLED_END.accumulateAndGet(this, queues.maxOffset(name()), Math::max);
    }

    @Override
    public void arrived(String queueFilter, long queueEnd) {
        SIGNALLED_END.accumulateAndGet(this, queueEnd, Math::max);
        wake.run();
    }

    @Override
    public StoredMessage messageAt(long offset) {
        ReadResult read = queues.read(name(), offset, 1);
        boolean there = !read.messages().isEmpty() && read.messages().get(0).queueOffset() == offset;
        return there ? read.messages().get(0) : null; // deleted by commitlog retention meanwhile
    }

    @Override
    public boolean rereads() {
        return true;
    }

    @Override
    public void settle(int completed) {
        progress.advanced(this, completed);
    }

    @Override
    public CompletableFuture<?> released() {
        return progress.recordThisTurn(this);
    }

    @Override
    public CompletableFuture<?> recordSent() {
        return progress.recordThisTurn(this);
    }

    @Override
    public void receiveMaximum(int maximum) {
        // the queue holds every message for this cursor alone: no window to share
    }

    @Override
    public CompletableFuture<?> close(boolean unsubscribed) {
        router.remove(name(), this);
        if (unsubscribed) {
            progress.removed(this);
        }
        return CompletableFuture.completedFuture(null); // its session records its progress
    }
}

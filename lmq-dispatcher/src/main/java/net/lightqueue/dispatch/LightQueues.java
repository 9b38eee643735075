package net.lightqueue.dispatch;

import java.util.concurrent.CompletableFuture;

/**
 * What a protocol plugin sees of the light queues: one queue per subscribed topic filter,
 * filled by the dispatcher from the commitlog, read back from the local store.
 *
 * <p>Every change goes through the commitlog: {@link #subscribe} writes a small event into the
 * plugin's system topic and completes once the dispatcher has applied it at its commitlog
 * position. Every message after that position that matches the filter is in the filter's
 * queue, so "what does a new subscriber get" is exact.
 *
 * <p>Thread-safety: all methods may be called from any thread; none blocks on I/O except
 * {@link #read}, which reads the index and the commitlog (page cache) and returns.
 */
public interface LightQueues {

    /**
     * Adds {@code filter} for {@code subscriberId} (idempotent per pair). Completes after the
     * dispatcher applied the event, with the queue and the offset from which this subscriber
     * must read; fails if the event could not be written (e.g. the broker is a slave or full).
     *
     * @param options opaque subscription options stored with the subscription (may be empty)
     */
    CompletableFuture<Subscription> subscribe(String subscriberId, String filter, byte[] options);

    /**
     * Removes the pair (a no-op for an unknown pair). Completes after the dispatcher applied the
     * event. When no subscriber references the filter anymore its queue stops growing; its
     * entries go with commitlog retention, and a later subscription continues its offsets.
     */
    CompletableFuture<Void> unsubscribe(String subscriberId, String filter);

    /**
     * Reads at most {@code maxCount} messages of the filter's queue from {@code fromOffset}.
     * Entries whose commitlog file was already deleted by retention are skipped and counted.
     */
    ReadResult read(String filter, long fromOffset, int maxCount);

    /** The next offset to be written in the filter's queue (0 for an unknown filter). */
    long maxOffset(String filter);

    /**
     * Registers a listener told "queue of filter F now ends at offset N" after entries are
     * readable. Signals are coalesced per queue and delivered on a dispatcher signal thread,
     * never on the broker's reput thread; listeners must return quickly (hand off to their own
     * event loop).
     */
    void addArrivalListener(ArrivalListener listener);

    void removeArrivalListener(ArrivalListener listener);
}

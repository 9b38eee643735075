package net.lightqueue.dispatch;

/**
 * Reading the light queues: one queue per subscribed topic filter, filled by the dispatcher from
 * the commitlog, read back from the local store, and told when they grow.
 *
 * <p>Thread-safety: all methods may be called from any thread; none blocks on I/O except
 * {@link #read}, which reads the index and the commitlog (page cache) and returns.
 */
public interface QueueReads {

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

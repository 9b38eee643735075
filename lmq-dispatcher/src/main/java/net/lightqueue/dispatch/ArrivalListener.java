package net.lightqueue.dispatch;

/** Told when a filter's queue grew. */
@FunctionalInterface
public interface ArrivalListener {

    /** The queue of {@code filter} now ends at {@code maxOffset} (exclusive: the next offset to be written). */
    void arrived(String filter, long maxOffset);
}

package net.lightqueue.mqtt.delivery;

/** Told by the {@link ArrivalRouter} that a filter's queue grew; returns at once. */
public interface QueueWatcher {

    /** From the dispatcher's signal thread: the filter's queue now ends at {@code queueEnd}. */
    void arrived(String filter, long queueEnd);
}

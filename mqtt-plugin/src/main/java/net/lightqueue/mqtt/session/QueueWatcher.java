package net.lightqueue.mqtt.session;

/** Told by the {@link ArrivalRouter} that a filter's queue grew; returns at once. */
interface QueueWatcher {

    /** From the dispatcher's signal thread: the filter's queue now ends at {@code queueEnd}. */
    void arrived(String filter, long queueEnd);
}

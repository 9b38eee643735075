package net.lightqueue.dispatch.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.lightqueue.dispatch.Subscription;
import net.lightqueue.dispatch.SubscriptionRecord;
import net.lightqueue.dispatch.topic.FilterSet;
import net.lightqueue.index.LightQueueIndex;

/**
 * Applies filter events to the subscriptions family and keeps the filter set's reference counts
 * in step: one reference per (subscriber, filter) pair, and counts the pairs. Also reads a
 * subscriber's committed subscriptions and the count for any thread.
 */
public final class Subscriptions {

    private final LightQueueIndex index;
    private final FilterSet filters;
    /** The number of pairs as of what was applied, committed or not. */
    private long count;

    Subscriptions(LightQueueIndex index, FilterSet filters) {
        this.index = index;
        this.filters = filters;
    }

    /** Forgets what was applied but not committed. */
    void reloadFromIndex() {
        count = committedCount();
    }

    /** Adds or refreshes the pair; the subscriber reads from the queue's current end. Dispatcher thread. */
    Subscription subscribe(DispatchBatch batch, String subscriberId, String filter, byte[] options, long eventOffset) {
        String key = StateLayout.subscriptionKey(subscriberId, filter);
        boolean present = present(batch, key);
        long start = batch.queueEnd(filter).orElseGet(() -> index.maxOffset(filter));
        batch.putSubscription(key, StateLayout.subscription(start, eventOffset, options));
        if (!present) {
            batch.putFilterCount(filter, filters.retain(filter));
            batch.putCounter(StateLayout.SUBSCRIPTION_COUNT, ++count);
        }
        return new Subscription(subscriberId, filter, start, eventOffset);
    }

    /** Removes the pair if present. Dispatcher thread. */
    void unsubscribe(DispatchBatch batch, String subscriberId, String filter) {
        String key = StateLayout.subscriptionKey(subscriberId, filter);
        if (present(batch, key)) {
            batch.deleteSubscription(key);
            batch.putFilterCount(filter, filters.release(filter));
            batch.putCounter(StateLayout.SUBSCRIPTION_COUNT, --count);
        }
    }

    /** Removes every pair of the subscriber, as of this batch. Dispatcher thread. */
    void unsubscribeAll(DispatchBatch batch, String subscriberId) {
        String prefix = StateLayout.subscriberPrefix(subscriberId);
        Set<String> keys = new TreeSet<>();
        index.scan(StateLayout.SUBSCRIPTIONS, StateLayout.utf8(prefix), (key, value) -> {
            keys.add(StateLayout.string(key));
            return true;
        });
        batch.overlaySubscriptions(prefix, keys);
        for (String key : keys) {
            unsubscribe(batch, subscriberId, key.substring(prefix.length()));
        }
    }

    private boolean present(DispatchBatch batch, String key) {
        return batch.subscriptionPresent(key)
            .orElseGet(() -> index.get(StateLayout.SUBSCRIPTIONS, StateLayout.utf8(key)) != null);
    }

    /** The subscriber's subscriptions as of the last committed batch, by filter in UTF-8 order. Any thread. */
    public List<SubscriptionRecord> committed(String subscriberId) {
        String prefix = StateLayout.subscriberPrefix(subscriberId);
        List<SubscriptionRecord> records = new ArrayList<>();
        index.scan(StateLayout.SUBSCRIPTIONS, StateLayout.utf8(prefix), (key, value) -> {
            String filter = StateLayout.string(key).substring(prefix.length());
            records.add(new SubscriptionRecord(filter, StateLayout.startOffsetOf(value), StateLayout.optionsOf(value)));
            return true;
        });
        return records;
    }

    /** The number of (subscriber, filter) pairs as of the last committed batch. Any thread. */
    public long committedCount() {
        return StateLayout.longCountOf(index.get(StateLayout.COUNTERS, StateLayout.SUBSCRIPTION_COUNT));
    }
}

package net.lightqueue.dispatch.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.lightqueue.dispatch.StateChange;
import net.lightqueue.index.IndexBatch;

/**
 * What the dispatcher applied since its last commit: the index writes (entries, derived state,
 * checkpoint) plus what to announce once they are written (queue ends for arrival signals,
 * applied events for waiting subscribers). Also answers reads of state that is changed in this
 * batch but not yet in the index.
 */
final class DispatchBatch {

    private final IndexBatch writes;
    private final Map<String, Long> queueEnds = new HashMap<>();
    private final Map<Long, AppliedEvent> appliedRequests = new HashMap<>();
    /** Subscription values written in this batch; {@code null} values are deletions. */
    private final Map<String, byte[]> subscriptions = new HashMap<>();
    /** Whether each MQTT topic this batch changed has a retained message after it (not cleared). */
    private final Map<String, Boolean> retained = new HashMap<>();
    private int messages;

    DispatchBatch(IndexBatch writes) {
        this.writes = writes;
    }

    void append(String queue, long commitLogOffset, int size, long storeTimestamp) {
        long offset = writes.append(queue, commitLogOffset, size, storeTimestamp);
        queueEnds.put(queue, offset + 1);
    }

    /** The queue's next offset as of this batch, if this batch appended to it. */
    Optional<Long> queueEnd(String queue) {
        return Optional.ofNullable(queueEnds.get(queue));
    }

    void putFilterCount(String filter, int count) {
        if (count > 0) {
            writes.put(StateLayout.FILTERS, StateLayout.utf8(filter), StateLayout.count(count));
        } else {
            writes.delete(StateLayout.FILTERS, StateLayout.utf8(filter));
        }
    }

    void putSubscription(String key, byte[] value) {
        subscriptions.put(key, value);
        writes.put(StateLayout.SUBSCRIPTIONS, StateLayout.utf8(key), value);
    }

    void deleteSubscription(String key) {
        subscriptions.put(key, null);
        writes.delete(StateLayout.SUBSCRIPTIONS, StateLayout.utf8(key));
    }

    /**
     * Whether this batch decides if the subscription exists: empty if it does not touch the key,
     * else whether the key is present after this batch.
     */
    Optional<Boolean> subscriptionPresent(String key) {
        return subscriptions.containsKey(key) ? Optional.of(subscriptions.get(key) != null) : Optional.empty();
    }

    /**
     * Brings a set of committed subscription keys with {@code prefix} up to date with this
     * batch: adds the keys it put, removes those it deleted.
     */
    void overlaySubscriptions(String prefix, Set<String> keys) {
        subscriptions.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                if (value == null) {
                    keys.remove(key);
                } else {
                    keys.add(key);
                }
            }
        });
    }

    void putRetained(String topic, byte[] message) {
        retained.put(topic, true);
        writes.put(StateLayout.RETAINED, StateLayout.utf8(topic), message);
    }

    void putCleared(String topic, byte[] cleared) {
        retained.put(topic, false);
        writes.put(StateLayout.RETAINED, StateLayout.utf8(topic), cleared);
    }

    /** Like {@link #subscriptionPresent}, for the retained message of a topic. */
    Optional<Boolean> retainedPresent(String topic) {
        return Optional.ofNullable(retained.get(topic));
    }

    void putCounter(byte[] key, long count) {
        writes.put(StateLayout.COUNTERS, key, StateLayout.longCount(count));
    }

    void putState(StateChange change) {
        if (change.isDelete()) {
            writes.delete(change.family(), change.key());
        } else {
            writes.put(change.family(), change.key(), change.value());
        }
    }

    void applied(long requestId, AppliedEvent result) {
        if (requestId != 0) {
            appliedRequests.put(requestId, result);
        }
    }

    void messageApplied(long checkpoint) {
        writes.checkpoint(checkpoint);
        messages++;
    }

    int messages() {
        return messages;
    }

    IndexBatch writes() {
        return writes;
    }

    Map<String, Long> queueEnds() {
        return queueEnds;
    }

    Map<Long, AppliedEvent> appliedRequests() {
        return appliedRequests;
    }
}

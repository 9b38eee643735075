package net.lightqueue.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

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
     * Removes every subscription of {@code subscriberId} in one event (a no-op if it has none),
     * releasing each filter once, as {@link #unsubscribe} would. For a clean start, a session
     * that expired, or a session whose connection was cut off by a crash. Completes after the
     * dispatcher applied the event; fails like {@link #subscribe}.
     */
    CompletableFuture<Void> unsubscribeAll(String subscriberId);

    /**
     * The subscriptions of {@code subscriberId} as of the last applied event whose future has
     * completed (events in flight may or may not show), ordered by filter in UTF-8 byte order.
     * Reads the index: cost proportional to the subscriber's subscriptions.
     */
    List<SubscriptionRecord> subscriptionsOf(String subscriberId);

    /** The number of (subscriber, filter) subscriptions, as of the last index write. */
    long subscriptionCount();

    /**
     * Changes protocol state (keys of the families in {@link StateFamilies}) through the
     * commitlog: writes ONE event into the plugin's event topic; the dispatcher applies all of
     * its changes at the event's commitlog position, in the same atomic index write as the
     * index entries and subscriptions around it, so after any crash either all or none of them
     * are visible and a slave replicating the commitlog applies the same. Changes apply in list
     * order (a later change of the same key wins).
     *
     * @param changes at least one; the encoded event must fit the broker's
     *                {@code maxMessageSize}
     * @return completes after the index write that applied the event, with the event's commitlog
     *         offset (from then on {@link #readState} sees the changes); fails with
     *         {@link IllegalArgumentException} for an unknown family or no changes, and like
     *         {@link #subscribe} if the event could not be written (a slave, a refused put)
     */
    CompletableFuture<Long> writeState(List<StateChange> changes);

    /**
     * The value of {@code key} in a protocol state family, or {@code null} if absent, as of the
     * last index write.
     *
     * @throws IllegalArgumentException for a family not in {@link StateFamilies#ALL}
     */
    byte[] readState(String family, byte[] key);

    /**
     * Visits, in unsigned byte order of the keys, the pairs of a protocol state family whose key
     * starts with {@code prefix} (empty: all), as of the last index write when the scan began,
     * until the visitor returns {@code false}. The arrays passed belong to the visitor.
     *
     * @throws IllegalArgumentException for a family not in {@link StateFamilies#ALL}
     */
    void scanState(String family, byte[] prefix, BiPredicate<byte[], byte[]> visitor);

    /**
     * The retained messages whose topic matches {@code filter}, in UTF-8 order of their topics,
     * as of the last index write. A message becomes retained when the dispatcher applies it with
     * {@link MqttMessageProperties#RETAIN} "true" (from MQTT or a RocketMQ producer), replacing
     * the previous one of its MQTT topic; one with an empty body deletes it. The index keeps the
     * whole message, so it outlives commitlog retention. Expiry is not applied here.
     *
     * <p>Cost: proportional to the topics under the filter's literal leading levels (a filter
     * without wildcards is one lookup); only a filter whose first level is a wildcard reads all
     * of them, and never returns {@code $} topics [MQTT-4.7.2-1]. The result is in heap: a
     * caller serving {@code #} over millions of retained messages holds them all.
     *
     * @return messages with {@link StoredMessage#queueOffset()} -1 (they are in no queue)
     * @throws IllegalArgumentException for an invalid filter
     */
    List<StoredMessage> retained(String filter);

    /** The number of retained messages, as of the last index write. */
    long retainedCount();

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

package net.lightqueue.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Which subscriber holds which topic filter; a filter's queue grows while any subscriber holds
 * it.
 *
 * <p>Every change goes through the commitlog: {@link #subscribe} writes a small event into the
 * plugin's system topic and completes once the dispatcher has applied it at its commitlog
 * position. Every message after that position that matches the filter is in the filter's
 * queue, so "what does a new subscriber get" is exact.
 *
 * <p>Thread-safety: all methods may be called from any thread; none blocks on I/O.
 */
public interface SubscriptionTable {

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
}

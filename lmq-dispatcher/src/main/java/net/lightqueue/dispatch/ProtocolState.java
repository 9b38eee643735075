package net.lightqueue.dispatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

/**
 * The protocol plugin's own state (sessions and the like), in the state families it declared
 * when it opened the dispatcher ({@link LightQueueDispatcher#open}). Their content is opaque to
 * the dispatcher; like everything in the index it changes only through events in the commitlog,
 * so it survives restarts and crashes and a slave builds the same.
 *
 * <p>Thread-safety: all methods may be called from any thread; none blocks on I/O.
 */
public interface ProtocolState {

    /**
     * Changes protocol state through the commitlog: writes ONE event into the plugin's event
     * topic; the dispatcher applies all of its changes at the event's commitlog position, in the
     * same atomic index write as the index entries and subscriptions around it, so after any
     * crash either all or none of them are visible and a slave replicating the commitlog applies
     * the same. Changes apply in list order (a later change of the same key wins).
     *
     * @param changes at least one; the encoded event must fit the broker's
     *                {@code maxMessageSize}
     * @return completes after the index write that applied the event, with the event's commitlog
     *         offset (from then on {@link #readState} sees the changes); fails with
     *         {@link IllegalArgumentException} for an undeclared family or no changes, and like
     *         {@link SubscriptionTable#subscribe} if the event could not be written (a slave, a
     *         refused put)
     */
    CompletableFuture<Long> writeState(List<StateChange> changes);

    /**
     * The value of {@code key} in a declared state family, or {@code null} if absent, as of the
     * last index write.
     *
     * @throws IllegalArgumentException for a family that was not declared
     */
    byte[] readState(String family, byte[] key);

    /**
     * Visits, in unsigned byte order of the keys, the pairs of a declared state family whose key
     * starts with {@code prefix} (empty: all), as of the last index write when the scan began,
     * until the visitor returns {@code false}. The arrays passed belong to the visitor.
     *
     * @throws IllegalArgumentException for a family that was not declared
     */
    void scanState(String family, byte[] prefix, BiPredicate<byte[], byte[]> visitor);
}

package net.lightqueue.mqtt.delivery;

import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;

/**
 * Where one subscription of a session stands in the messages it gets. The messages stay in the
 * store; the cursor holds only a position, so a subscriber that falls behind costs no memory.
 * A {@link Deliverer} reads, advances and settles it on the event loop of the connection that
 * holds the session.
 *
 * <p>Implementations: {@link QueueCursor} (a position in a filter's light queue) and a shared
 * subscription's membership, whose group hands out the messages.
 */
public interface Cursor {

    /** The subscription as the client named it: a topic filter, or {@code $share/group/filter}. */
    String name();

    /** The broker group whose queue the cursor reads; null for this broker's own queues. */
    default String peerName() {
        return null;
    }

    SubscriptionOptions options();

    /** A repeated SUBSCRIBE replaced the options; the position stays [MQTT-3.8.4-3]. */
    void options(SubscriptionOptions replacement);

    /** The position after the last message read; in a queue, the next offset to read. */
    long nextOffset();

    /** The next messages of this subscription, at most {@code count}. */
    ReadResult read(int count);

    /** Moves past what was read; a read that found nothing means the cursor is at the end. */
    void advance(long next, boolean foundNothing);

    boolean mayHaveMessages();

    /** Looks again where the messages end, for a cursor that seemed to be at its end. */
    void refreshEnd();

    /** The message at {@code offset}, to send again a delivery restored after a restart; null if gone. */
    StoredMessage messageAt(long offset);

    /**
     * Whether {@link #messageAt} reads any message this cursor delivered from this broker's
     * store: an unacknowledged delivery then keeps no copy of its message for a resend.
     */
    default boolean rereads() {
        return false;
    }

    /** The cursor moved, or its unacknowledged deliveries changed; {@code completed} deliveries ended. */
    void settle(int completed);

    /** The client answered a delivery with PUBREC: completes once that is recorded, before PUBREL goes out. */
    CompletableFuture<?> released();

    /**
     * Records now where the session stands in this cursor, its unacknowledged deliveries with
     * their packet ids included: completes once recorded. A QoS 2 PUBLISH goes out only after
     * that, so that after a crash it comes again under the same packet id (DUP), which a client
     * that answered PUBREC recognises and does not pass on twice [MQTT-4.3.3-10].
     */
    CompletableFuture<?> recordSent();

    /** The client allows this many unacknowledged messages; a cursor handed messages by window uses it. */
    void receiveMaximum(int maximum);

    /**
     * The session stops reading from the cursor: it leaves memory, or the client unsubscribed
     * ({@code unsubscribed}), which also ends what the cursor recorded. Completes once what the
     * cursor records on closing is durable, for a session that moves to another broker.
     */
    CompletableFuture<?> close(boolean unsubscribed);
}

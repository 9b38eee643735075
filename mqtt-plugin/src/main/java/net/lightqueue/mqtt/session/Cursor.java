package net.lightqueue.mqtt.session;

import net.lightqueue.dispatch.LightQueues;
import net.lightqueue.dispatch.ReadResult;

/**
 * One subscription of a session: a position in its filter's light queue. The queue holds the
 * messages; the cursor holds only where this session is, so a subscriber that falls behind
 * costs no memory.
 */
public class Cursor {

    private final String filter;
    private SubscriptionOptions options;
    private long nextOffset;
    private long knownEnd;

    Cursor(String filter, SubscriptionOptions options, long startOffset, long knownEnd) {
        this.filter = filter;
        this.options = options;
        this.nextOffset = startOffset;
        this.knownEnd = Math.max(startOffset, knownEnd);
    }

    public String filter() {
        return filter;
    }

    public SubscriptionOptions options() {
        return options;
    }

    void options(SubscriptionOptions replacement) {
        this.options = replacement;
    }

    public long nextOffset() {
        return nextOffset;
    }

    /** The next messages of this subscription, at most {@code count}. */
    public ReadResult read(LightQueues queues, int count) {
        return queues.read(filter, nextOffset, count);
    }

    /** Moves past what was read; a read that found nothing means the cursor is at the end. */
    public void advance(long next, boolean foundNothing) {
        nextOffset = next;
        if (foundNothing) {
            knownEnd = next;
        }
    }

    /** The queue grew up to {@code queueEnd} (exclusive). */
    public void arrived(long queueEnd) {
        knownEnd = Math.max(knownEnd, queueEnd);
    }

    public boolean mayHaveMessages() {
        return nextOffset < knownEnd;
    }

    /**
     * Whether the cursor has a position of its own in its filter's queue, so the session merges
     * it with its other such cursors (false for a shared subscription: its group hands out messages).
     */
    public boolean ownsPosition() {
        return true;
    }
}

package net.lightqueue.mqtt.session;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.lightqueue.dispatch.LightQueues;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;

/**
 * A session's membership in a shared subscription's group. It has no position of its own: it
 * delivers what the group assigned to it, and its offset only counts those messages. The
 * fields below the constructor are guarded by the group.
 */
final class SharedCursor extends Cursor {

    final SharedGroup group;
    final Session session;
    /** Messages assigned to this member and not yet read by its deliverer: at most its window. */
    final ArrayDeque<StoredMessage> assigned = new ArrayDeque<>();
    /** Queue offsets assigned to this member and not completed (assigned or unacknowledged). */
    final Set<Long> outstanding = new HashSet<>();
    int window = 1;

    SharedCursor(String shareName, SubscriptionOptions options, SharedGroup group, Session session) {
        super(shareName, options, 0, 0);
        this.group = group;
        this.session = session;
    }

    @Override
    public ReadResult read(LightQueues queues, int count) {
        List<StoredMessage> messages = group.take(this, count);
        return new ReadResult(messages, nextOffset() + messages.size(), 0);
    }

    @Override
    public boolean mayHaveMessages() {
        return group.mayHaveMessages(this);
    }

    @Override
    public boolean ownsPosition() {
        return false;
    }
}

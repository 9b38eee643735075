package net.lightqueue.mqtt.shared;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.delivery.SubscriptionPosition;

/**
 * A session's membership in a shared subscription's group. It has no position of its own: it
 * delivers what the group assigned to it, and its offset only counts those messages. The
 * fields marked below are guarded by the group.
 */
final class SharedCursor extends SubscriptionPosition {

    final SharedGroup group;
    /** Wakes the member's session to deliver what was assigned to it. */
    final Runnable wake;
    private final SharedGroups groups;
    private final Inflight inflight;
    /** Guarded by the group: messages assigned to this member and not yet read by its deliverer, at most its window. */
    final ArrayDeque<StoredMessage> assigned = new ArrayDeque<>();
    /** Guarded by the group: queue offsets assigned to this member and not completed (assigned or unacknowledged). */
    final Set<Long> outstanding = new HashSet<>();
    /** Guarded by the group. */
    int window = 1;

    SharedCursor(String name, SubscriptionOptions options, SharedGroup group, SharedGroups groups, Inflight inflight,
                 Runnable wake) {
        super(name, options, 0);
        this.group = group;
        this.groups = groups;
        this.inflight = inflight;
        this.wake = wake;
    }

    @Override
    public ReadResult read(int count) {
        List<StoredMessage> messages = group.take(this, count);
        return new ReadResult(messages, nextOffset() + messages.size(), 0);
    }

    @Override
    public boolean mayHaveMessages() {
        return group.mayHaveMessages(this);
    }

    @Override
    public void refreshEnd() {
        // the group learns of arrivals and assigns them
    }

    @Override
    public StoredMessage messageAt(long offset) {
        return group.messageAt(offset);
    }

    /** Deliveries ended or moved on: the group counts what completed and may hand out more. */
    @Override
    public void settle(int completed) {
        if (group.settle(this, inflight.unacknowledgedOffsets(this)) > 0) {
            groups.completed(group);
        }
    }

    /** PUBREC completes a shared message for the group: it is never given to another member. */
    @Override
    public CompletableFuture<?> released() {
        group.settle(this, inflight.unacknowledgedOffsets(this));
        return groups.record(group);
    }

    @Override
    public void receiveMaximum(int maximum) {
        group.window(this, maximum);
    }

    /**
     * The member leaves: its unacknowledged messages go back to the group, which sends them to
     * another member; a delivery the client already answered with PUBREC stays.
     */
    @Override
    public CompletableFuture<?> close(boolean unsubscribed) {
        inflight.dropUnacknowledged(this);
        groups.leave(this);
        return CompletableFuture.completedFuture(null); // its group records the group's progress
    }
}

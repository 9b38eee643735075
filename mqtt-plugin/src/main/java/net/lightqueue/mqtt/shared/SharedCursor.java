package net.lightqueue.mqtt.shared;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.delivery.Inflight;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import net.lightqueue.mqtt.delivery.SubscriptionPosition;

/**
 * A session's membership in a shared subscription's group on this broker. It has no position
 * of its own: it delivers what the group assigned to its {@link SharedMember}, and its offset
 * only counts those messages.
 */
final class SharedCursor extends SubscriptionPosition {

    final SharedGroup group;
    final SharedMember member;
    private final SharedGroups groups;
    private final Inflight inflight;

    /** @param member joined {@code group}, waking the session to deliver what was assigned to it */
    SharedCursor(String name, SubscriptionOptions options, SharedGroup group, SharedMember member, SharedGroups groups,
                 Inflight inflight) {
        super(name, options, 0);
        this.group = group;
        this.member = member;
        this.groups = groups;
        this.inflight = inflight;
    }

    @Override
    public ReadResult read(int count) {
        List<StoredMessage> messages = group.take(member, count);
        return new ReadResult(messages, nextOffset() + messages.size(), 0);
    }

    @Override
    public boolean mayHaveMessages() {
        return group.mayHaveMessages(member);
    }

    @Override
    public void refreshEnd() {
        // the group learns of arrivals and assigns them
    }

    @Override
    public StoredMessage messageAt(long offset) {
        return group.messageAt(offset);
    }

    @Override
    public boolean rereads() {
        return true;
    }

    /** Deliveries ended or moved on: the group counts what completed and may hand out more. */
    @Override
    public void settle(int completed) {
        if (group.settle(member, inflight.unacknowledgedOffsets(this)) > 0) {
            groups.completed(group);
        }
    }

    /** PUBREC completes a shared message for the group: it is never given to another member. */
    @Override
    public CompletableFuture<?> released() {
        group.settle(member, inflight.unacknowledgedOffsets(this));
        return groups.record(group);
    }

    /** Nothing to wait for: a group's assignments are recorded with the group, not per send: after a crash an unrecorded
     * assignment is handed out again. */
    @Override
    public CompletableFuture<?> recordSent() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void receiveMaximum(int maximum) {
        group.window(member, maximum);
    }

    /**
     * The member leaves: its unacknowledged messages go back to the group, which sends them to
     * another member; a delivery the client already answered with PUBREC stays.
     */
    @Override
    public CompletableFuture<?> close(boolean unsubscribed) {
        inflight.dropUnacknowledged(this);
        groups.leave(group, member);
        return CompletableFuture.completedFuture(null); // its group records the group's progress
    }
}

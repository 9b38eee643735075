package net.lightqueue.mqtt.shared;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.lightqueue.dispatch.QueueReads;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.delivery.QueueWatcher;
import net.lightqueue.mqtt.persistence.GroupCursorRecord;

/**
 * The connected members of one shared subscription and their one cursor over the filter's
 * queue. Messages are assigned to members as they have room in their windows (round robin,
 * or all to one member with {@link ShareStrategy#STICKY}); what a leaving member did not
 * complete is assigned again to the others. The group holds no message beyond what is
 * assigned, so its heap is bounded by its members' windows. Members call
 * in from their own event loops, proxies of members on other broker groups from the peer
 * handlers; all state is guarded by the group.
 */
final class SharedGroup implements QueueWatcher {

    private static final int READ_BATCH = 32;

    private final ShareName share;
    private final ShareStrategy strategy;
    private final QueueReads queues;
    private final List<SharedMember> members = new ArrayList<>();
    /** Offsets to assign again before reading on: left by members, or unfinished before a restart. */
    private final TreeSet<Long> returned = new TreeSet<>();
    /**
     * Read from the queue and not yet assigned. Empty between calls: a read takes no more than
     * the members have room for, and all of it is assigned in the same call.
     */
    private final ArrayDeque<StoredMessage> readAhead = new ArrayDeque<>();
    private long nextOffset;
    private long knownEnd;
    private int turn;
    private int completed;
    private boolean closed;

    SharedGroup(ShareName share, ShareStrategy strategy, QueueReads queues, GroupCursorRecord record) {
        this.share = share;
        this.strategy = strategy;
        this.queues = queues;
        this.nextOffset = record.nextOffset();
        this.returned.addAll(record.outstanding());
        this.knownEnd = Math.max(nextOffset, queues.maxOffset(share.filter()));
    }

    ShareName share() {
        return share;
    }

    /** @return false if the group was closed meanwhile: the caller finds or makes the current one */
    synchronized boolean join(SharedMember member) {
        if (closed) {
            return false;
        }
        members.add(member);
        return true;
    }

    /** The member's connection allows this many unacknowledged messages. */
    synchronized void window(SharedMember member, int window) {
        member.window = window;
    }

    /** The member leaves; what it did not complete goes to the others. True when none is left. */
    synchronized boolean leave(SharedMember member) {
        if (members.remove(member)) {
            returned.addAll(member.outstanding);
            member.outstanding.clear();
            member.assigned.clear();
            wakeMembers();
        }
        return members.isEmpty();
    }

    /** Closes the group if no member came back, so it can leave memory. */
    synchronized boolean closeIfEmpty() {
        closed = members.isEmpty();
        return closed;
    }

    /** Called on the dispatcher's signal thread: the member list is guarded like everything else. */
    @Override
    public synchronized void arrived(String filter, long queueEnd) {
        knownEnd = Math.max(knownEnd, queueEnd);
        wakeMembers();
    }

    synchronized boolean mayHaveMessages(SharedMember member) {
        return !member.assigned.isEmpty() || hasUnassigned() && credit(member) > 0
            && (strategy != ShareStrategy.STICKY || members.indexOf(member) == 0); // sticky: only the first gets more
    }

    /** Assigns what members have room for, then hands this member at most {@code count} of its messages. */
    synchronized List<StoredMessage> take(SharedMember member, int count) {
        return take(member, count, Long.MAX_VALUE);
    }

    /** As {@link #take(SharedMember, int)}, stopping before the bodies exceed {@code maxBytes} (at least one message). */
    synchronized List<StoredMessage> take(SharedMember member, int count, long maxBytes) {
        assign(member);
        List<StoredMessage> taken = new ArrayList<>(Math.min(count, member.assigned.size()));
        long bytes = 0;
        while (taken.size() < count && !member.assigned.isEmpty()) {
            bytes += member.assigned.peek().body().length;
            if (bytes > maxBytes && !taken.isEmpty()) {
                break;
            }
            taken.add(member.assigned.poll());
        }
        return taken;
    }

    /**
     * The member's deliveries changed: of its outstanding offsets, those neither waiting to be
     * taken nor in {@code unacknowledged} are complete.
     *
     * @return how many completed
     */
    synchronized int settle(SharedMember member, Collection<Long> unacknowledged) {
        int before = member.outstanding.size();
        Set<Long> waiting = new HashSet<>(unacknowledged);
        member.assigned.forEach(message -> waiting.add(message.queueOffset()));
        member.outstanding.retainAll(waiting);
        int done = before - member.outstanding.size();
        completed += done;
        if (done > 0) {
            wakeMembers(); // room in a window: with round robin the next message may go to another member
        }
        return done;
    }

    /** Completions since the last snapshot. */
    synchronized int completedSinceSnapshot() {
        return completed;
    }

    synchronized GroupCursorRecord snapshot() {
        TreeSet<Long> outstanding = new TreeSet<>(returned);
        members.forEach(member -> outstanding.addAll(member.outstanding));
        completed = 0;
        return new GroupCursorRecord(nextOffset, List.copyOf(outstanding));
    }

    private boolean hasUnassigned() {
        return !returned.isEmpty() || !readAhead.isEmpty() || nextOffset < knownEnd;
    }

    private int credit(SharedMember member) {
        return member.window - member.outstanding.size();
    }

    /** Assigns messages while members have room; {@code caller} delivers its own in the pass it is in. */
    private void assign(SharedMember caller) {
        SharedMember target;
        while (hasUnassigned() && (target = nextTarget()) != null) {
            StoredMessage message = nextMessage();
            if (message == null) {
                return;
            }
            target.assigned.add(message);
            target.outstanding.add(message.queueOffset());
            if (target != caller) {
                target.wake.run();
            }
        }
    }

    /** The member that gets the next message, or null when the strategy's choice has no room. */
    private SharedMember nextTarget() {
        if (members.isEmpty()) {
            return null;
        }
        if (strategy == ShareStrategy.STICKY) {
            SharedMember first = members.get(0); // the longest-standing member, until it leaves
            return credit(first) > 0 ? first : null;
        }
        for (int i = 0; i < members.size(); i++) {
            SharedMember candidate = members.get((turn + i) % members.size());
            if (credit(candidate) > 0) {
                turn = (turn + i + 1) % members.size();
                return candidate;
            }
        }
        return null;
    }

    /** The message at {@code offset} of the group's queue, or null when commitlog retention deleted it. */
    StoredMessage messageAt(long offset) {
        ReadResult read = queues.read(share.filter(), offset, 1);
        boolean there = !read.messages().isEmpty() && read.messages().get(0).queueOffset() == offset;
        return there ? read.messages().get(0) : null;
    }

    private StoredMessage nextMessage() {
        while (!returned.isEmpty()) {
            StoredMessage message = messageAt(returned.pollFirst());
            if (message != null) {
                return message;
            }
        }
        if (readAhead.isEmpty()) {
            // One index read per batch, not per message: the lock is shared by every member's loop.
            ReadResult read = queues.read(share.filter(), nextOffset, Math.max(1, Math.min(READ_BATCH, credits())));
            if (read.messages().isEmpty() && read.nextOffset() == nextOffset) {
                knownEnd = nextOffset;
                return null;
            }
            nextOffset = read.nextOffset();
            readAhead.addAll(read.messages());
            if (readAhead.isEmpty()) {
                return nextMessage(); // the entries read were deleted by commitlog retention
            }
        }
        return readAhead.poll();
    }

    /** How many messages the members have room for now. */
    private int credits() {
        if (strategy == ShareStrategy.STICKY) {
            return members.isEmpty() ? 0 : credit(members.get(0));
        }
        int credits = 0;
        for (SharedMember member : members) {
            credits += Math.max(0, credit(member));
        }
        return credits;
    }

    private void wakeMembers() {
        members.forEach(member -> member.wake.run());
    }
}

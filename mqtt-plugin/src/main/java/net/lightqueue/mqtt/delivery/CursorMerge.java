package net.lightqueue.mqtt.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.dispatch.StoredMessage;

/**
 * A session's own cursors read as one stream in commitlog order, so that a message that
 * several of its subscriptions match comes out once, as one group of the same message's
 * entries in each of their queues (entries of one message share its commitlog offset, and
 * their cursors read the same broker group's queues). Each
 * cursor has at most one read batch buffered; a cursor's position moves as its messages are
 * taken, so a batch can be dropped and read again. With a single cursor this is a plain batched read.
 *
 * <p>A cursor that looked empty may have got the message another cursor just read (the index
 * writes a message's entries in all queues at once): before a message is taken, every empty
 * cursor whose end was last checked before that message was read is checked again, with one
 * lookup of its queue's end. That happens once per read batch, not once per message.
 */
final class CursorMerge {

    /** The buffered batch of one cursor. */
    static final class Buffer {
        final Cursor cursor;
        private List<StoredMessage> messages = List.of();
        private int next;
        /** Where the batch's read ended: the cursor's position once the batch is taken. */
        private long end;
        /** The read count when the batch was read, or when the cursor was last found at its end. */
        private long readAt = -1;
        /** Deliveries of this cursor that ended since {@link #report}, and whether its position moved. */
        int completed;
        boolean moved;

        Buffer(Cursor cursor) {
            this.cursor = cursor;
        }

        StoredMessage head() {
            return next < messages.size() ? messages.get(next) : null;
        }
    }

    private final int batchSize;
    /** A buffer per cursor, in the order the session gave them; sized for the one or two most sessions have. */
    private final List<Buffer> active = new ArrayList<>(2);
    private final List<Buffer> group = new ArrayList<>(2);
    private long reads;

    CursorMerge(int batchSize) {
        this.batchSize = batchSize;
    }

    /**
     * Takes the session's current subscriptions, on every pass; buffers of removed ones are
     * dropped. The cursors rarely change between passes, so only a change costs a lookup
     * table, made for that change: one kept per session would cost more heap than the buffers.
     */
    void cursors(Collection<Cursor> cursors) {
        if (sameAsActive(cursors)) {
            return;
        }
        Map<Cursor, Buffer> previous = new IdentityHashMap<>(active.size());
        for (Buffer buffer : active) {
            previous.put(buffer.cursor, buffer);
        }
        active.clear();
        for (Cursor cursor : cursors) {
            Buffer buffer = previous.get(cursor);
            active.add(buffer != null ? buffer : new Buffer(cursor));
        }
    }

    private boolean sameAsActive(Collection<Cursor> cursors) {
        if (cursors.size() != active.size()) {
            return false;
        }
        int i = 0;
        for (Cursor cursor : cursors) {
            if (active.get(i++).cursor != cursor) {
                return false;
            }
        }
        return true;
    }

    /**
     * The buffers whose head is the next message in commitlog order, the same message in each;
     * empty when no cursor has a message. Nothing is taken: see {@link #take}.
     */
    List<Buffer> next() {
        group.clear();
        for (Buffer buffer : active) {
            if (buffer.head() == null && buffer.cursor.mayHaveMessages()) {
                read(buffer);
            }
        }
        Buffer first = earliest();
        while (first != null && active.size() > 1 && recheckEmpty(first.readAt)) {
            first = earliest();
        }
        if (first == null) {
            return group;
        }
        long commitLogOffset = first.head().commitLogOffset();
        String peer = first.cursor.peerName();
        for (Buffer buffer : active) {
            StoredMessage head = buffer.head();
            if (head != null && head.commitLogOffset() == commitLogOffset && Objects.equals(peer, buffer.cursor.peerName())) {
                group.add(buffer);
            }
        }
        return group;
    }

    /** Moves a buffer of the group past its head; {@code completed} says whether the delivery ended for its cursor. */
    void take(Buffer buffer, boolean completed) {
        StoredMessage head = buffer.messages.get(buffer.next++);
        buffer.cursor.advance(buffer.head() == null ? buffer.end : head.queueOffset() + 1, false);
        buffer.moved = true;
        if (completed) {
            buffer.completed++;
        }
    }

    /**
     * Lets go of the messages read but not taken; their cursors read them again when next asked.
     * A session whose client stopped reading holds no batch then: with large messages and many
     * such sessions the batches would fill the heap.
     */
    void dropReadAhead() {
        for (Buffer buffer : active) {
            buffer.messages = List.of();
            buffer.next = 0;
        }
    }

    /** Settles every cursor that moved or completed deliveries since the last report. */
    void report() {
        for (Buffer buffer : active) {
            if (buffer.moved) {
                buffer.cursor.settle(buffer.completed);
                buffer.moved = false;
                buffer.completed = 0;
            }
        }
    }

    private void read(Buffer buffer) {
        Cursor cursor = buffer.cursor;
        long from = cursor.nextOffset();
        ReadResult result = cursor.read(batchSize);
        buffer.messages = result.messages();
        buffer.next = 0;
        buffer.end = result.nextOffset();
        buffer.readAt = ++reads;
        if (result.messages().isEmpty()) {
            boolean nothing = result.nextOffset() == from;
            cursor.advance(result.nextOffset(), nothing);
            buffer.moved |= !nothing; // entries deleted by retention were skipped
        }
    }

    private Buffer earliest() {
        Buffer earliest = null;
        for (Buffer buffer : active) {
            StoredMessage head = buffer.head();
            if (head != null && (earliest == null || head.commitLogOffset() < earliest.head().commitLogOffset())) {
                earliest = buffer;
            }
        }
        return earliest;
    }

    /** Checks again the end of every empty cursor last checked before {@code readAt}; true if one got messages. */
    private boolean recheckEmpty(long readAt) {
        boolean found = false;
        for (Buffer buffer : active) {
            if (buffer.head() == null && buffer.readAt < readAt) {
                buffer.cursor.refreshEnd();
                if (buffer.cursor.mayHaveMessages()) {
                    read(buffer);
                    found |= buffer.head() != null;
                } else {
                    buffer.readAt = ++reads;
                }
            }
        }
        return found;
    }
}

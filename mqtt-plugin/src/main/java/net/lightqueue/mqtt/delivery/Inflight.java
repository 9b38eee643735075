package net.lightqueue.mqtt.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import net.lightqueue.dispatch.StoredMessage;

/**
 * The QoS 1/2 messages sent to a client and not yet acknowledged, by packet id, in sending
 * order. It belongs to the session, so a connection that takes the session over resends them.
 * Bounded by the client's receive window. Its size counts in every session's total
 * ({@link DeliveryMetrics#inflight}) until the session leaves memory.
 */
public final class Inflight {

    /** Where a delivered message sits: a cursor's queue at an offset (-1 for a retained message sent on subscribe). */
    public record Position(Cursor cursor, long offset) {
    }

    /**
     * One unacknowledged delivery; {@code released} once PUBREC came and PUBREL was sent. A
     * message that several subscriptions of the session match is one delivery that holds a
     * position in each of their queues, and completes them all. A released delivery restored
     * after a restart has no message: only its PUBREL is ever sent again. Once sent, a delivery
     * whose queue can be read again lets go of its message (a stalled client's window of large
     * messages would stay on the heap) and a resend reads it again.
     */
    public static final class Entry {
        public final int packetId;
        public final int qos;
        final List<Position> positions;
        private StoredMessage message;
        boolean retain;
        final List<Integer> subscriptionIds;
        boolean released;

        Entry(int packetId, List<Position> positions, StoredMessage message, int qos, boolean retain,
              List<Integer> subscriptionIds, boolean released) {
            this.packetId = packetId;
            this.positions = positions;
            this.message = message;
            this.qos = qos;
            this.retain = retain;
            this.subscriptionIds = subscriptionIds;
            this.released = released;
        }

        public boolean released() {
            return released;
        }

        /** The message to send again; null when commitlog retention deleted it meanwhile. */
        StoredMessage messageToResend() {
            if (message != null) {
                return message;
            }
            Position first = positions.get(0);
            return first.cursor().messageAt(first.offset());
        }

        /** The message went out: it is read again for a resend if its queue allows. */
        void sent() {
            Position first = positions.get(0);
            if (first.offset() >= 0 && first.cursor().rereads()) {
                message = null;
            }
        }

        /** The queue offset of the delivery in the cursor's queue, or null when it holds none there. */
        public Long offsetIn(Cursor cursor) {
            for (Position position : positions) {
                if (position.cursor() == cursor) {
                    return position.offset();
                }
            }
            return null;
        }
    }

    private final Map<Integer, Entry> byPacketId = new LinkedHashMap<>();
    private final LongAdder everySession;
    private boolean counted = true;
    private int lastPacketId;

    public Inflight(DeliveryMetrics metrics) {
        this.everySession = metrics.inflightCounter();
    }

    int size() {
        return byPacketId.size();
    }

    Entry get(int packetId) {
        return byPacketId.get(packetId);
    }

    Entry remove(int packetId) {
        Entry removed = byPacketId.remove(packetId);
        if (removed != null) {
            count(-1);
        }
        return removed;
    }

    /** The session leaves memory: its deliveries no longer count among every session's. */
    public void uncount() {
        count(-byPacketId.size());
        counted = false;
    }

    private void count(int delta) {
        if (counted && delta != 0) {
            everySession.add(delta);
        }
    }

    public Collection<Entry> inOrder() {
        return byPacketId.values();
    }

    /** The offsets of the cursor's deliveries that await PUBACK or PUBREC. */
    public Set<Long> unacknowledgedOffsets(Cursor cursor) {
        Set<Long> offsets = new HashSet<>();
        for (Entry entry : byPacketId.values()) {
            Long offset = entry.offsetIn(cursor);
            if (offset != null && !entry.released) {
                offsets.add(offset);
            }
        }
        return offsets;
    }

    /**
     * Drops the cursor's deliveries that await PUBACK or PUBREC, for a cursor whose messages go
     * to someone else; one the client answered with PUBREC stays, as only its PUBREL may be sent.
     */
    public void dropUnacknowledged(Cursor cursor) {
        int before = byPacketId.size();
        byPacketId.values().removeIf(entry -> entry.offsetIn(cursor) != null && !entry.released);
        count(byPacketId.size() - before);
    }

    /** Adds a delivery under the next free packet id (ids are per session, 1..65535). */
    Entry add(List<Position> positions, StoredMessage message, int qos, boolean retain, List<Integer> subscriptionIds) {
        int packetId = lastPacketId;
        do {
            packetId = packetId == 65535 ? 1 : packetId + 1;
        } while (byPacketId.containsKey(packetId));
        lastPacketId = packetId;
        Entry entry = new Entry(packetId, positions, message, qos, retain, subscriptionIds, false);
        byPacketId.put(packetId, entry);
        count(1);
        return entry;
    }

    /**
     * Puts back a delivery a previous run of the session sent under {@code packetId}, to be
     * resent with that id. Packet ids are unique among a session's unacknowledged deliveries,
     * so a second cursor restoring the same id adds its position to the same delivery.
     *
     * @param message null for a released delivery
     */
    public void restore(int packetId, Cursor cursor, long offset, StoredMessage message, int qos, boolean retain,
                        int subscriptionId, boolean released) {
        int before = byPacketId.size();
        Entry entry = byPacketId.computeIfAbsent(packetId, id ->
            new Entry(id, new ArrayList<>(2), message, qos, retain, new ArrayList<>(2), released));
        count(byPacketId.size() - before);
        entry.positions.add(new Position(cursor, offset));
        entry.retain |= retain;
        if (subscriptionId > 0) {
            entry.subscriptionIds.add(subscriptionId);
        }
    }
}

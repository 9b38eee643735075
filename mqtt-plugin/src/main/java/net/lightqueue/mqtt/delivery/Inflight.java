package net.lightqueue.mqtt.delivery;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.session.Cursor;

/**
 * The QoS 1/2 messages sent to a client and not yet acknowledged, by packet id, in sending
 * order. It belongs to the session, so a connection that takes the session over resends them.
 * Bounded by the client's receive window.
 */
public final class Inflight {

    /**
     * One unacknowledged delivery from a cursor's queue; {@code released} once PUBREC came and
     * PUBREL was sent. A released delivery restored after a restart has no message: only its
     * PUBREL is ever sent again.
     */
    public static final class Entry {
        public final int packetId;
        public final Cursor cursor;
        public final long offset;
        public final int qos;
        final StoredMessage message;
        final boolean retain;
        final int subscriptionId;
        boolean released;

        Entry(int packetId, Cursor cursor, long offset, StoredMessage message, int qos, boolean retain,
              int subscriptionId, boolean released) {
            this.packetId = packetId;
            this.cursor = cursor;
            this.offset = offset;
            this.message = message;
            this.qos = qos;
            this.retain = retain;
            this.subscriptionId = subscriptionId;
            this.released = released;
        }

        public boolean released() {
            return released;
        }
    }

    private final Map<Integer, Entry> byPacketId = new LinkedHashMap<>();
    private int lastPacketId;

    int size() {
        return byPacketId.size();
    }

    Entry get(int packetId) {
        return byPacketId.get(packetId);
    }

    Entry remove(int packetId) {
        return byPacketId.remove(packetId);
    }

    public Collection<Entry> inOrder() {
        return byPacketId.values();
    }

    /** Adds a delivery under the next free packet id (ids are per session, 1..65535). */
    Entry add(Cursor cursor, StoredMessage message, int qos, boolean retain, int subscriptionId) {
        int packetId = lastPacketId;
        do {
            packetId = packetId == 65535 ? 1 : packetId + 1;
        } while (byPacketId.containsKey(packetId));
        lastPacketId = packetId;
        Entry entry = new Entry(packetId, cursor, message.queueOffset(), message, qos, retain, subscriptionId, false);
        byPacketId.put(packetId, entry);
        return entry;
    }

    /**
     * Puts back a delivery a previous run of the session sent under {@code packetId}, to be
     * resent with that id.
     *
     * @param message null for a released delivery
     */
    public void restore(int packetId, Cursor cursor, long offset, StoredMessage message, int qos, boolean retain,
                        int subscriptionId, boolean released) {
        byPacketId.put(packetId, new Entry(packetId, cursor, offset, message, qos, retain, subscriptionId, released));
    }
}

package net.lightqueue.mqtt.delivery;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import net.lightqueue.dispatch.StoredMessage;

/**
 * The QoS 1/2 messages sent to a client and not yet acknowledged, by packet id, in sending
 * order. It belongs to the session, so a connection that takes the session over resends them.
 * Bounded by the client's receive window.
 */
public final class Inflight {

    /** One unacknowledged delivery; {@code released} once PUBREC came and PUBREL was sent. */
    static final class Entry {
        final int packetId;
        final StoredMessage message;
        final int qos;
        final boolean retain;
        final int subscriptionId;
        boolean released;

        Entry(int packetId, StoredMessage message, int qos, boolean retain, int subscriptionId) {
            this.packetId = packetId;
            this.message = message;
            this.qos = qos;
            this.retain = retain;
            this.subscriptionId = subscriptionId;
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

    Collection<Entry> inOrder() {
        return byPacketId.values();
    }

    /** Adds a delivery under the next free packet id (ids are per session, 1..65535). */
    Entry add(StoredMessage message, int qos, boolean retain, int subscriptionId) {
        int packetId = lastPacketId;
        do {
            packetId = packetId == 65535 ? 1 : packetId + 1;
        } while (byPacketId.containsKey(packetId));
        lastPacketId = packetId;
        Entry entry = new Entry(packetId, message, qos, retain, subscriptionId);
        byPacketId.put(packetId, entry);
        return entry;
    }
}

package net.lightqueue.mqtt.persistence;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A session as one broker group hands it to another whose broker the client connected to: the
 * small state that lives with the session's owner. Its subscriptions are cluster-wide already,
 * and its progress in each group's queues stays with that group.
 *
 * @param session its record as the old owner had it (connected if a connection held it there)
 * @param will the will it holds, or null
 * @param receivedQos2 the client's QoS 2 packet ids awaiting PUBREL
 * @param memberships its shared subscriptions: share name to options
 */
public record HandoverRecord(SessionRecord session, WillRecord will, Set<Integer> receivedQos2,
                             Map<String, byte[]> memberships) {

    private static final int VERSION = 1;

    public byte[] encode() {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putBytes(out, session.encode());
            Fields.putBytes(out, will == null ? new byte[0] : will.encode());
            out.writeInt(receivedQos2.size());
            for (int packetId : receivedQos2) {
                out.writeShort(packetId);
            }
            out.writeInt(memberships.size());
            for (Map.Entry<String, byte[]> membership : memberships.entrySet()) {
                Fields.putString(out, membership.getKey());
                Fields.putBytes(out, membership.getValue());
            }
        });
    }

    public static HandoverRecord decode(byte[] value) {
        return Fields.decode(value, VERSION, in -> {
            SessionRecord session = SessionRecord.decode(Fields.getBytes(in));
            byte[] will = Fields.getBytes(in);
            int received = Fields.getCount(in, in.readInt(), Short.BYTES);
            Set<Integer> packetIds = new HashSet<>();
            for (int i = 0; i < received; i++) {
                packetIds.add(in.readUnsignedShort());
            }
            int count = Fields.getCount(in, in.readInt(), 2 * Integer.BYTES);
            Map<String, byte[]> memberships = new HashMap<>();
            for (int i = 0; i < count; i++) {
                memberships.put(Fields.getString(in), Fields.getBytes(in));
            }
            return new HandoverRecord(session, will.length == 0 ? null : WillRecord.decode(will), packetIds, memberships);
        });
    }

    /** The changes that make this broker the session's owner, as the record says. */
    public StateChanges adopt(String clientId) {
        StateChanges changes = new StateChanges().session(clientId, session).will(clientId, will);
        receivedQos2.forEach(packetId -> changes.receivedQos2(clientId, packetId, true));
        memberships.forEach((shareName, options) -> changes.membership(clientId, shareName, options));
        return changes;
    }
}

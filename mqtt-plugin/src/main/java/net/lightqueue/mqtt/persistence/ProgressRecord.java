package net.lightqueue.mqtt.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a session is in one filter's queue (family "progress", key = client id 0x00 filter):
 * everything below {@code sentUpTo} was delivered and acknowledged, except the listed
 * deliveries, which were sent and await their acknowledgement.
 */
public record ProgressRecord(long sentUpTo, List<Unacknowledged> unacknowledged) {

    /**
     * A QoS 1/2 delivery sent under {@code packetId}; {@code released} once the client's PUBREC
     * was recorded: from then on only PUBREL is sent again, never the message.
     */
    public record Unacknowledged(long offset, int packetId, int qos, boolean released) {
    }

    private static final int VERSION = 1;

    public byte[] encode() {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeLong(sentUpTo);
            out.writeShort(unacknowledged.size());
            for (Unacknowledged delivery : unacknowledged) {
                out.writeLong(delivery.offset());
                out.writeShort(delivery.packetId());
                out.writeByte(delivery.qos() | (delivery.released() ? 0x80 : 0));
            }
        });
    }

    public static ProgressRecord decode(byte[] value) {
        return Fields.decode(value, VERSION, in -> {
            long sentUpTo = in.readLong();
            int count = Fields.getCount(in, in.readUnsignedShort(), Long.BYTES + Short.BYTES + 1);
            List<Unacknowledged> deliveries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long offset = in.readLong();
                int packetId = in.readUnsignedShort();
                int flags = in.readUnsignedByte();
                deliveries.add(new Unacknowledged(offset, packetId, flags & 0x03, (flags & 0x80) != 0));
            }
            return new ProgressRecord(sentUpTo, deliveries);
        });
    }
}

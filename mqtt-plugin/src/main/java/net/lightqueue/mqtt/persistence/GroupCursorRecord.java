package net.lightqueue.mqtt.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a shared subscription's group is in its filter's queue (family "shared", key
 * {@code c} + share name): everything below {@code nextOffset} was delivered to a member and
 * completed, except the {@code outstanding} offsets, which are delivered again to a member.
 */
public record GroupCursorRecord(long nextOffset, List<Long> outstanding) {

    private static final int VERSION = 1;

    public byte[] encode() {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeLong(nextOffset);
            out.writeInt(outstanding.size());
            for (long offset : outstanding) {
                out.writeLong(offset);
            }
        });
    }

    public static GroupCursorRecord decode(byte[] value) {
        return Fields.decode(value, VERSION, in -> {
            long next = in.readLong();
            int count = Fields.getCount(in, in.readInt(), Long.BYTES);
            List<Long> offsets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                offsets.add(in.readLong());
            }
            return new GroupCursorRecord(next, offsets);
        });
    }
}

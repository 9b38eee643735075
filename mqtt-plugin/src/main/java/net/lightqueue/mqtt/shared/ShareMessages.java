package net.lightqueue.mqtt.shared;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.lightqueue.dispatch.ReadResult;
import net.lightqueue.mqtt.cluster.PeerMessages;
import net.lightqueue.mqtt.persistence.Fields;

/** The bodies of the shared-subscription requests between broker groups ({@link SharedCodes}). */
final class ShareMessages {

    private static final int VERSION = 1;

    /** A proxy's state at a peer: JOIN and ALIVE answers. */
    static final byte UNKNOWN = 0;
    static final byte JOINED = 1;
    static final byte READY = 2;

    /** A member of a share, by the share's name and the member's client id. */
    record MemberId(String share, String clientId) {
    }

    /**
     * JOIN (count 0, no offsets), TAKE and LEAVE (window 0).
     *
     * @param unacknowledged the member's deliveries of the peer's messages that are not complete
     */
    record Take(MemberId member, int window, int count, List<Long> unacknowledged) {
    }

    private ShareMessages() {
    }

    static byte[] take(Take take) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, take.member().share());
            Fields.putString(out, take.member().clientId());
            out.writeInt(take.window());
            out.writeInt(take.count());
            out.writeInt(take.unacknowledged().size());
            for (long offset : take.unacknowledged()) {
                out.writeLong(offset);
            }
        });
    }

    static Take take(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            MemberId member = new MemberId(Fields.getString(in), Fields.getString(in));
            int window = in.readInt();
            int count = in.readInt();
            int size = Fields.getCount(in, in.readInt(), 8);
            List<Long> offsets = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                offsets.add(in.readLong());
            }
            return new Take(member, window, count, offsets);
        });
    }

    /** A TAKE's answer: the messages taken. */
    static byte[] taken(ReadResult taken) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeBoolean(true);
            Fields.putBytes(out, PeerMessages.readResult(taken));
        });
    }

    /** A TAKE's answer when the peer holds no proxy of the member. */
    static byte[] notMember() {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeBoolean(false);
        });
    }

    /** The messages taken, or null when the peer holds no proxy of the member. */
    static ReadResult taken(byte[] body) {
        return Fields.decode(body, VERSION, in -> in.readBoolean() ? PeerMessages.readResult(Fields.getBytes(in)) : null);
    }

    /** READY and ALIVE: members of shares. */
    static byte[] members(Collection<MemberId> members) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            out.writeInt(members.size());
            for (MemberId member : members) {
                Fields.putString(out, member.share());
                Fields.putString(out, member.clientId());
            }
        });
    }

    static List<MemberId> members(byte[] body) {
        return Fields.decode(body, VERSION, in -> {
            int count = Fields.getCount(in, in.readInt(), 4);
            List<MemberId> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(new MemberId(Fields.getString(in), Fields.getString(in)));
            }
            return members;
        });
    }

    /** ALIVE's answer: the state of each asked proxy, in the order asked. */
    static byte[] states(byte[] states) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putBytes(out, states);
        });
    }

    static byte[] states(byte[] body, int expected) {
        byte[] states = Fields.decode(body, VERSION, Fields::getBytes);
        if (states.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " proxy states, got " + states.length);
        }
        return states;
    }

    static byte[] share(String share) {
        return Fields.encode(out -> {
            out.writeByte(VERSION);
            Fields.putString(out, share);
        });
    }

    static String share(byte[] body) {
        return Fields.decode(body, VERSION, Fields::getString);
    }

    static byte[] flag(boolean flag) {
        return new byte[] {(byte) (flag ? 1 : 0)};
    }

    static boolean flag(byte[] body) {
        return body.length == 1 && body[0] == 1;
    }
}

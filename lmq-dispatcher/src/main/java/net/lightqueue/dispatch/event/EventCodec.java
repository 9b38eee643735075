package net.lightqueue.dispatch.event;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.lightqueue.dispatch.StateChange;

/**
 * The binary form of the events in the plugin's event topic. Every event starts with a format
 * version byte and a type byte, so later event types (snapshots, say) can be added without
 * touching these; a reader skips what it does not know.
 *
 * <pre>
 * event            = version:u8 (=1) type:u8 body
 * SUBSCRIBE        (type 1) = requestId:i64 subscriberId:str filter:str options:bytes
 * UNSUBSCRIBE      (type 2) = requestId:i64 subscriberId:str filter:str
 * STATE            (type 3) = requestId:i64 count:i32 change*count
 * UNSUBSCRIBE_ALL  (type 4) = requestId:i64 subscriberId:str
 * change           = family:str key:bytes value:nbytes
 * str              = length:u16 UTF-8 bytes   (MQTT strings are at most 65535 bytes)
 * bytes            = length:i32 bytes
 * nbytes           = length:i32 bytes, or length -1 for none (a deletion)
 * </pre>
 * All integers are big-endian.
 */
public final class EventCodec {

    public static final byte VERSION = 1;
    public static final byte TYPE_SUBSCRIBE = 1;
    public static final byte TYPE_UNSUBSCRIBE = 2;
    public static final byte TYPE_STATE = 3;
    public static final byte TYPE_UNSUBSCRIBE_ALL = 4;

    private EventCodec() {
    }

    public static byte[] encode(Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(VERSION);
            if (event instanceof FilterEvent.Subscribe subscribe) {
                out.writeByte(TYPE_SUBSCRIBE);
                out.writeLong(event.requestId());
                putString(out, subscribe.subscriberId());
                putString(out, subscribe.filter());
                putBytes(out, subscribe.options());
            } else if (event instanceof FilterEvent.Unsubscribe unsubscribe) {
                out.writeByte(TYPE_UNSUBSCRIBE);
                out.writeLong(event.requestId());
                putString(out, unsubscribe.subscriberId());
                putString(out, unsubscribe.filter());
            } else if (event instanceof FilterEvent.UnsubscribeAll all) {
                out.writeByte(TYPE_UNSUBSCRIBE_ALL);
                out.writeLong(event.requestId());
                putString(out, all.subscriberId());
            } else {
                out.writeByte(TYPE_STATE);
                out.writeLong(event.requestId());
                putChanges(out, ((StateEvent) event).changes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    private static void putChanges(DataOutputStream out, List<StateChange> changes) throws IOException {
        out.writeInt(changes.size());
        for (StateChange change : changes) {
            putString(out, change.family());
            putBytes(out, change.key());
            if (change.isDelete()) {
                out.writeInt(-1);
            } else {
                putBytes(out, change.value());
            }
        }
    }

    /**
     * Decodes an event; empty for a version or type this reader does not know.
     *
     * @throws MalformedEventException if the bytes are cut short or inconsistent
     */
    public static Optional<Event> decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            byte version = buffer.get();
            byte type = buffer.get();
            if (version != VERSION) {
                return Optional.empty();
            }
            return switch (type) {
                case TYPE_SUBSCRIBE -> Optional.of(new FilterEvent.Subscribe(buffer.getLong(), getString(buffer),
                    getString(buffer), getBytes(buffer)));
                case TYPE_UNSUBSCRIBE -> Optional.of(new FilterEvent.Unsubscribe(buffer.getLong(), getString(buffer),
                    getString(buffer)));
                case TYPE_STATE -> Optional.of(new StateEvent(buffer.getLong(), getChanges(buffer)));
                case TYPE_UNSUBSCRIBE_ALL -> Optional.of(new FilterEvent.UnsubscribeAll(buffer.getLong(),
                    getString(buffer)));
                default -> Optional.empty();
            };
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("malformed event of " + bytes.length + " bytes", e);
        }
    }

    private static void putString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes exceeds 65535: "
                + value.substring(0, 32) + "...");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static void putBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static String getString(ByteBuffer buffer) {
        byte[] bytes = new byte[checkedLength(buffer, Short.toUnsignedInt(buffer.getShort()))];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer buffer) {
        byte[] bytes = getNullableBytes(buffer);
        if (bytes == null) {
            throw new IllegalArgumentException("a required byte string is absent");
        }
        return bytes;
    }

    private static byte[] getNullableBytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[checkedLength(buffer, length)];
        buffer.get(bytes);
        return bytes;
    }

    /** A length read from the event, checked against what is left of it before anything is allocated. */
    private static int checkedLength(ByteBuffer buffer, int length) {
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("length " + length + " exceeds the event");
        }
        return length;
    }

    private static List<StateChange> getChanges(ByteBuffer buffer) {
        int count = buffer.getInt();
        // Each change takes at least 10 bytes: a bound that keeps a corrupt count from allocating.
        if (count < 0 || count > buffer.remaining() / 10) {
            throw new IllegalArgumentException("change count " + count + " exceeds the event");
        }
        List<StateChange> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(new StateChange(getString(buffer), getBytes(buffer), getNullableBytes(buffer)));
        }
        return changes;
    }
}

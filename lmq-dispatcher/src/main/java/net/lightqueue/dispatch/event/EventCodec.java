package net.lightqueue.dispatch.event;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The binary form of the events in the plugin's event topic. Every event starts with a format
 * version byte and a type byte, so later event types (session lifecycle, progress, snapshots)
 * can be added without touching these; a reader skips what it does not know.
 *
 * <pre>
 * event       = version:u8 (=1) type:u8 body
 * SUBSCRIBE   (type 1) = requestId:i64 subscriberId:str filter:str options:bytes
 * UNSUBSCRIBE (type 2) = requestId:i64 subscriberId:str filter:str
 * str         = length:u16 UTF-8 bytes   (MQTT strings are at most 65535 bytes)
 * bytes       = length:i32 bytes
 * </pre>
 * All integers are big-endian.
 */
public final class EventCodec {

    public static final byte VERSION = 1;
    public static final byte TYPE_SUBSCRIBE = 1;
    public static final byte TYPE_UNSUBSCRIBE = 2;

    private EventCodec() {
    }

    public static byte[] encode(FilterEvent event) {
        byte[] subscriber = utf8(event.subscriberId());
        byte[] filter = utf8(event.filter());
        byte[] options = event instanceof FilterEvent.Subscribe subscribe ? subscribe.options() : null;
        int size = 2 + Long.BYTES + 2 + subscriber.length + 2 + filter.length
            + (options == null ? 0 : Integer.BYTES + options.length);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION);
        buffer.put(options == null ? TYPE_UNSUBSCRIBE : TYPE_SUBSCRIBE);
        buffer.putLong(event.requestId());
        putString(buffer, subscriber);
        putString(buffer, filter);
        if (options != null) {
            buffer.putInt(options.length).put(options);
        }
        return buffer.array();
    }

    /**
     * Decodes an event; empty for a version or type this reader does not know.
     *
     * @throws MalformedEventException if the bytes are cut short or inconsistent
     */
    public static Optional<FilterEvent> decode(byte[] bytes) {
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
                default -> Optional.empty();
            };
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedEventException("malformed event of " + bytes.length + " bytes", e);
        }
    }

    private static byte[] utf8(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes exceeds 65535: "
                + value.substring(0, 32) + "...");
        }
        return bytes;
    }

    private static void putString(ByteBuffer buffer, byte[] utf8) {
        buffer.putShort((short) utf8.length).put(utf8);
    }

    private static String getString(ByteBuffer buffer) {
        byte[] bytes = new byte[Short.toUnsignedInt(buffer.getShort())];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] getBytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("options length " + length + " exceeds the event");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}

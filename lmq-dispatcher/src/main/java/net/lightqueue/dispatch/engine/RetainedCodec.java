package net.lightqueue.dispatch.engine;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import net.lightqueue.dispatch.RetainedVersion;
import net.lightqueue.dispatch.StoredMessage;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * A topic's retained version as kept in the index: the whole retained message, so it outlives
 * the commitlog file it was published in, or the mark that the topic was cleared. The first byte
 * says which; format 1 is also what brokers wrote before cleared topics were kept.
 *
 * <pre>
 * retained = format:u8 (=1) storeTimestamp:i64 commitLogOffset:i64 properties:bytes body:rest
 * cleared  = format:u8 (=2) storeTimestamp:i64 commitLogOffset:i64
 * bytes    = length:i32 bytes   (properties: RocketMQ's property string, UTF-8)
 * </pre>
 */
final class RetainedCodec {

    private static final byte RETAINED = 1;
    private static final byte CLEARED = 2;
    private static final int STAMP = 1 + 2 * Long.BYTES;
    private static final int HEADER = STAMP + Integer.BYTES;

    private RetainedCodec() {
    }

    static byte[] encode(MessageExt message) {
        byte[] properties = MessageDecoder.messageProperties2String(message.getProperties())
            .getBytes(StandardCharsets.UTF_8);
        byte[] body = message.getBody();
        return ByteBuffer.allocate(HEADER + properties.length + body.length)
            .put(RETAINED)
            .putLong(message.getStoreTimestamp())
            .putLong(message.getCommitLogOffset())
            .putInt(properties.length).put(properties)
            .put(body)
            .array();
    }

    /** The mark of a topic cleared by the retained publish stored at these. */
    static byte[] encodeCleared(long storeTimestamp, long commitLogOffset) {
        return ByteBuffer.allocate(STAMP).put(CLEARED).putLong(storeTimestamp).putLong(commitLogOffset).array();
    }

    /** Whether the value marks a cleared topic rather than holding a retained message. */
    static boolean isCleared(byte[] value) {
        return value.length > 0 && value[0] == CLEARED;
    }

    /**
     * The version kept under {@code topic}; a retained message has queue offset -1, it is in no
     * queue.
     *
     * @throws MalformedRetainedMessageException if the bytes are cut short or of an unknown format
     */
    static RetainedVersion decode(String topic, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        try {
            byte format = buffer.get();
            if (format != RETAINED && format != CLEARED) {
                throw new IllegalArgumentException("unknown format " + format);
            }
            long storeTimestamp = buffer.getLong();
            long commitLogOffset = buffer.getLong();
            if (format == CLEARED) {
                if (buffer.hasRemaining()) {
                    throw new IllegalArgumentException(buffer.remaining() + " bytes after a cleared topic");
                }
                return new RetainedVersion(topic, storeTimestamp, null);
            }
            int propertiesLength = buffer.getInt();
            if (propertiesLength < 0 || propertiesLength > buffer.remaining()) {
                throw new IllegalArgumentException("properties length " + propertiesLength + " exceeds the value");
            }
            byte[] properties = new byte[propertiesLength];
            buffer.get(properties);
            byte[] body = new byte[buffer.remaining()];
            buffer.get(body);
            Map<String, String> map = MessageDecoder.string2messageProperties(new String(properties, StandardCharsets.UTF_8));
            StoredMessage message = new StoredMessage(topic, body, Collections.unmodifiableMap(map),
                storeTimestamp, -1, commitLogOffset);
            return new RetainedVersion(topic, storeTimestamp, message);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedRetainedMessageException("retained message of '" + topic + "' (" + value.length
                + " bytes) is malformed: " + e.getMessage(), e);
        }
    }
}

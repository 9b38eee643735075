package net.lightqueue.dispatch.engine;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import net.lightqueue.dispatch.StoredMessage;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * A retained message as kept in the index: all of it, so it outlives the commitlog file it was
 * published in.
 *
 * <pre>
 * retained = version:u8 (=1) storeTimestamp:i64 commitLogOffset:i64 properties:bytes body:rest
 * bytes    = length:i32 bytes   (properties: RocketMQ's property string, UTF-8)
 * </pre>
 */
final class RetainedCodec {

    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 2 * Long.BYTES + Integer.BYTES;

    private RetainedCodec() {
    }

    static byte[] encode(MessageExt message) {
        byte[] properties = MessageDecoder.messageProperties2String(message.getProperties())
            .getBytes(StandardCharsets.UTF_8);
        byte[] body = message.getBody();
        return ByteBuffer.allocate(HEADER + properties.length + body.length)
            .put(VERSION)
            .putLong(message.getStoreTimestamp())
            .putLong(message.getCommitLogOffset())
            .putInt(properties.length).put(properties)
            .put(body)
            .array();
    }

    /**
     * The message retained under {@code topic}; its queue offset is -1, it is in no queue.
     *
     * @throws MalformedRetainedMessageException if the bytes are cut short or of an unknown format
     */
    static StoredMessage decode(String topic, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        try {
            byte version = buffer.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown format " + version);
            }
            long storeTimestamp = buffer.getLong();
            long commitLogOffset = buffer.getLong();
            int propertiesLength = buffer.getInt();
            if (propertiesLength < 0 || propertiesLength > buffer.remaining()) {
                throw new IllegalArgumentException("properties length " + propertiesLength + " exceeds the value");
            }
            byte[] properties = new byte[propertiesLength];
            buffer.get(properties);
            byte[] body = new byte[buffer.remaining()];
            buffer.get(body);
            Map<String, String> map = MessageDecoder.string2messageProperties(new String(properties, StandardCharsets.UTF_8));
            return new StoredMessage(topic, body, Collections.unmodifiableMap(map), storeTimestamp, -1, commitLogOffset);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedRetainedMessageException("retained message of '" + topic + "' (" + value.length
                + " bytes) is malformed: " + e.getMessage(), e);
        }
    }
}

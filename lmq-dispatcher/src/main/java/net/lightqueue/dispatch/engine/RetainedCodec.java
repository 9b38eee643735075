package net.lightqueue.dispatch.engine;

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

    /** The message retained under {@code topic}; its queue offset is -1, it is in no queue. */
    static StoredMessage decode(String topic, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new IllegalStateException("retained message of '" + topic + "' has unknown format " + version);
        }
        long storeTimestamp = buffer.getLong();
        long commitLogOffset = buffer.getLong();
        byte[] properties = new byte[buffer.getInt()];
        buffer.get(properties);
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        Map<String, String> map = MessageDecoder.string2messageProperties(new String(properties, StandardCharsets.UTF_8));
        return new StoredMessage(topic, body, Collections.unmodifiableMap(map), storeTimestamp, -1, commitLogOffset);
    }
}

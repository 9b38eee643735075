package net.lightqueue.dispatch.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.lightqueue.host.testing.DecoderFuzzer;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Any bytes stored as a retained message or a cleared topic decode or fail with
 * {@link MalformedRetainedMessageException}: never another exception, a huge allocation or a hang.
 */
class RetainedCodecFuzzTest {

    private static final DecoderFuzzer RETAINED = DecoderFuzzer.of("RetainedCodec",
        value -> RetainedCodec.decode("a/b", value), MalformedRetainedMessageException.class);

    @Test
    void mutatedAndRandomRetainedMessagesFailOnlyAsMalformed() {
        MessageExt message = new MessageExt();
        message.setTopic("a");
        message.setBody("21.5".getBytes(StandardCharsets.UTF_8));
        message.putUserProperty("originMqttTopic", "a/b");
        message.putUserProperty("mqttQos", "1");
        message.setStoreTimestamp(1_700_000_000_000L);
        message.setCommitLogOffset(4096);
        MessageExt empty = new MessageExt();
        empty.setBody(new byte[0]);
        RETAINED.fuzz(List.of(RetainedCodec.encode(message), RetainedCodec.encode(empty),
            RetainedCodec.encodeCleared(1_700_000_000_000L, 4096)), DecoderFuzzer.cases(50_000));
    }

    @Test
    void thePropertiesLengthIsCheckedBeforeAllocating() {
        RETAINED.check(ByteBuffer.allocate(21).put((byte) 1).putLong(1).putLong(1).putInt(Integer.MAX_VALUE).array());
    }

    @Test
    void aNegativePropertiesLengthIsMalformed() {
        RETAINED.check(ByteBuffer.allocate(21).put((byte) 1).putLong(1).putLong(1).putInt(-1).array());
    }

    @Test
    void anUnknownFormatIsMalformed() {
        assertMalformed(ByteBuffer.allocate(21).put((byte) 3).putLong(1).putLong(1).putInt(0).array());
    }

    @Test
    void aCutShortOrOverlongClearedTopicIsMalformed() {
        assertMalformed(new byte[] {2});
        assertMalformed(ByteBuffer.allocate(16).put((byte) 2).putLong(1).putInt(0).putShort((short) 0).put((byte) 0).array());
        assertMalformed(ByteBuffer.allocate(18).put((byte) 2).putLong(1).putLong(1).put((byte) 0).array());
    }

    private static void assertMalformed(byte[] value) {
        assertThrows(MalformedRetainedMessageException.class, () -> RetainedCodec.decode("a/b", value));
    }

    @Test
    void noBytesAreMalformed() {
        RETAINED.check(new byte[0]);
    }
}

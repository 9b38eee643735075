package net.lightqueue.mqtt.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import net.lightqueue.dispatch.StoredMessage;
import net.lightqueue.mqtt.codec.SharedPayloadEncoder;
import org.junit.jupiter.api.Test;

class SharedPayloadsTest {

    private final SharedPayloads payloads = new SharedPayloads();

    @Test
    void everyDeliveryOfALargeMessageSharesOneDirectCopy() {
        StoredMessage message = message(1, SharedPayloadEncoder.MIN_SHARED_PAYLOAD);
        ByteBuf first = payloads.payload(message);
        ByteBuf second = payloads.payload(message);

        assertTrue(first.isDirect());
        first.setByte(0, 'Z');
        assertEquals('Z', second.getByte(0), "one copy");
        first.release();
        second.release();
    }

    @Test
    void aSmallPayloadIsWrappedForTheEncoderToCopy() {
        StoredMessage message = message(1, SharedPayloadEncoder.MIN_SHARED_PAYLOAD - 1);
        ByteBuf payload = payloads.payload(message);

        assertFalse(payload.isDirect());
        payload.setByte(0, 'Z');
        assertEquals('Z', message.body()[0], "the body itself");
        payload.release();
    }

    @Test
    void theSameOffsetWithAnotherBodyIsAnotherMessageAndOldCopiesAreLetGoOverTheBudget() {
        StoredMessage first = message(1, 1 << 20);
        ByteBuf held = payloads.payload(first);
        ByteBuf again = payloads.payload(message(1, 1 << 20)); // another broker's message at the same offset
        again.setByte(0, 'Z');
        assertEquals('x', held.getByte(0));
        again.release();

        for (long offset = 2; offset < 100; offset++) {
            payloads.payload(message(offset, 1 << 20)).release();
        }
        assertEquals(1, held.refCnt(), "let go of by the cache, still held by its delivery");
        assertEquals('x', held.getByte(0));
        held.release();
        payloads.clear();
    }

    private static StoredMessage message(long commitLogOffset, int bytes) {
        byte[] body = new byte[bytes];
        java.util.Arrays.fill(body, (byte) 'x');
        return ListCursor.withBody(ListCursor.message("a/b", 1, commitLogOffset), body);
    }
}

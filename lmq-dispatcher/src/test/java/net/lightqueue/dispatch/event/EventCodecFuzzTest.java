package net.lightqueue.dispatch.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.lightqueue.dispatch.StateChange;
import net.lightqueue.host.testing.DecoderFuzzer;
import org.junit.jupiter.api.Test;

/**
 * Any bytes in the event topic (a corrupt or foreign message) decode to an event, to nothing,
 * or fail with {@link MalformedEventException}; never with another exception, a huge allocation
 * or a hang.
 */
class EventCodecFuzzTest {

    private static final DecoderFuzzer EVENTS =
        DecoderFuzzer.of("EventCodec", EventCodec::decode, MalformedEventException.class);

    @Test
    void mutatedAndRandomEventsFailOnlyAsMalformed() {
        List<byte[]> valid = List.of(
            EventCodec.encode(new FilterEvent.Subscribe(1, "client-ü", "a/+/#", new byte[] {1, 5})),
            EventCodec.encode(new FilterEvent.Unsubscribe(2, "c", "a/b")),
            EventCodec.encode(new FilterEvent.UnsubscribeAll(3, "c")),
            EventCodec.encode(new StateEvent(4, List.of(StateChange.put("sessions", utf8("c"), new byte[] {1, 4}),
                StateChange.delete("wills", utf8("c"))))));
        EVENTS.fuzz(valid, DecoderFuzzer.cases(50_000));
    }

    @Test
    void aStringLengthBeyondTheEventAllocatesNothing() {
        // SUBSCRIBE whose subscriber id claims 65535 bytes of a 14-byte event.
        EVENTS.check(ByteBuffer.allocate(14).put(EventCodec.VERSION).put(EventCodec.TYPE_SUBSCRIBE).putLong(1)
            .putShort((short) 0xFFFF).array());
    }

    @Test
    void theLargestByteStringLengthAllocatesNothing() {
        EVENTS.check(ByteBuffer.allocate(20).put(EventCodec.VERSION).put(EventCodec.TYPE_SUBSCRIBE).putLong(1)
            .putShort((short) 0).putShort((short) 0).putInt(Integer.MAX_VALUE).array());
    }

    @Test
    void aNegativeChangeCountIsMalformed() {
        EVENTS.check(ByteBuffer.allocate(14).put(EventCodec.VERSION).put(EventCodec.TYPE_STATE).putLong(1)
            .putInt(Integer.MIN_VALUE).array());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

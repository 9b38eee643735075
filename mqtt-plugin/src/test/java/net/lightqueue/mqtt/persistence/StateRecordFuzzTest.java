package net.lightqueue.mqtt.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.lightqueue.host.testing.DecoderFuzzer;
import net.lightqueue.mqtt.delivery.SubscriptionOptions;
import org.junit.jupiter.api.Test;

/**
 * Any bytes kept as a session's state (a corrupt or foreign value) decode or fail with
 * {@link MalformedRecordException}: never another exception, an allocation a corrupt length
 * asks for, or a hang.
 */
class StateRecordFuzzTest {

    private static final int CASES = DecoderFuzzer.cases(20_000);

    private static final DecoderFuzzer SESSIONS =
        DecoderFuzzer.of("SessionRecord", SessionRecord::decode, MalformedRecordException.class);
    private static final DecoderFuzzer PROGRESS =
        DecoderFuzzer.of("ProgressRecord", ProgressRecord::decode, MalformedRecordException.class);
    private static final DecoderFuzzer WILLS =
        DecoderFuzzer.of("WillRecord", WillRecord::decode, MalformedRecordException.class);
    private static final DecoderFuzzer HANDOVERS =
        DecoderFuzzer.of("HandoverRecord", HandoverRecord::decode, MalformedRecordException.class);
    private static final DecoderFuzzer CURSORS =
        DecoderFuzzer.of("GroupCursorRecord", GroupCursorRecord::decode, MalformedRecordException.class);
    private static final DecoderFuzzer OPTIONS =
        DecoderFuzzer.of("SubscriptionOptions", SubscriptionOptions::decode, MalformedRecordException.class);

    @Test
    void sessionRecords() {
        SESSIONS.fuzz(List.of(new SessionRecord(5, SessionRecord.NEVER, true, 0, 7).encode(),
            new SessionRecord(4, 3600, false, 1_700_000_000_000L, 1).encode()), CASES);
    }

    @Test
    void progressRecords() {
        PROGRESS.fuzz(List.of(new ProgressRecord(12, List.of()).encode(),
            new ProgressRecord(40, List.of(new ProgressRecord.Unacknowledged(38, 1, 1, false),
                new ProgressRecord.Unacknowledged(39, 65535, 2, true))).encode()), CASES);
    }

    @Test
    void willRecords() {
        WILLS.fuzz(List.of(new WillRecord("a/b", utf8("gone"), Map.of("mqttQos", "1", "mqttRetain", "true"), 30).encode(),
            new WillRecord("", new byte[0], Map.of(), 0).encode()), CASES);
    }

    @Test
    void handoverRecords() {
        HANDOVERS.fuzz(List.of(new HandoverRecord(new SessionRecord(5, 600, true, 0, 3),
                new WillRecord("gone/a", utf8("bye"), Map.of("mqttQos", "1"), 0), Set.of(7, 65535),
                Map.of("$share/g/a/#", new SubscriptionOptions(1, false, false, 0, 0).encode())).encode(),
            new HandoverRecord(new SessionRecord(4, 0, false, 1_700_000_000_000L, 1), null, Set.of(), Map.of()).encode()),
            CASES);
    }

    @Test
    void groupCursorRecords() {
        CURSORS.fuzz(List.of(new GroupCursorRecord(100, List.of(97L, 99L)).encode(),
            new GroupCursorRecord(0, List.of()).encode()), CASES);
    }

    @Test
    void subscriptionOptions() {
        OPTIONS.fuzz(List.of(new SubscriptionOptions(2, true, true, 2, 268_435_455).encode(),
            new SubscriptionOptions(1, false, false, 0, 0).encode()), CASES);
    }

    @Test
    void aWillTopicLengthOf2To31Minus1IsMalformed() {
        WILLS.check(ByteBuffer.allocate(9).put((byte) 1).putInt(Integer.MAX_VALUE).putInt(0).array());
    }

    @Test
    void aNegativeWillPayloadLengthIsMalformed() {
        WILLS.check(ByteBuffer.allocate(9).put((byte) 1).putInt(0).putInt(-1).array());
    }

    @Test
    void aWillPropertyCountBeyondTheRecordIsMalformed() {
        WILLS.check(ByteBuffer.allocate(21).put((byte) 1).putInt(0).putInt(0).putLong(0).putInt(Integer.MAX_VALUE).array());
    }

    @Test
    void aGroupCursorCountOf2To31Minus1IsMalformed() {
        CURSORS.check(ByteBuffer.allocate(13).put((byte) 1).putLong(0).putInt(Integer.MAX_VALUE).array());
    }

    @Test
    void aNegativeGroupCursorCountIsMalformed() {
        CURSORS.check(ByteBuffer.allocate(13).put((byte) 1).putLong(0).putInt(-1).array());
    }

    @Test
    void aProgressCountBeyondTheRecordIsMalformed() {
        PROGRESS.check(ByteBuffer.allocate(11).put((byte) 1).putLong(0).putShort((short) 0xFFFF).array());
    }

    @Test
    void emptySubscriptionOptionsAreMalformed() {
        OPTIONS.check(new byte[0]);
    }

    @Test
    void aRecordOfAnotherVersionIsMalformed() {
        SESSIONS.check(new byte[] {2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    }

    @Test
    void validRecordsStillRoundTrip() {
        WillRecord will = new WillRecord("a/b", utf8("x"), Map.of("k", "v"), 5);
        WillRecord decoded = WillRecord.decode(will.encode());
        assertEquals(will.topic(), decoded.topic());
        assertEquals(will.properties(), decoded.properties());
        assertEquals(new GroupCursorRecord(9, List.of(3L)),
            GroupCursorRecord.decode(new GroupCursorRecord(9, List.of(3L)).encode()));
        ProgressRecord progress = new ProgressRecord(40, List.of(new ProgressRecord.Unacknowledged(38, 7, 2, true)));
        assertEquals(progress, ProgressRecord.decode(progress.encode()));
        SubscriptionOptions options = new SubscriptionOptions(2, true, false, 1, 268_435_455);
        assertEquals(options, SubscriptionOptions.decode(options.encode()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

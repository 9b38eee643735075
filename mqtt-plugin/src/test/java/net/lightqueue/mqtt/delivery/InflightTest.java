package net.lightqueue.mqtt.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import net.lightqueue.dispatch.StoredMessage;
import org.junit.jupiter.api.Test;

class InflightTest {

    private final Inflight inflight = new Inflight(new DeliveryMetrics());
    private final ListCursor a = ListCursor.subscription("a/#", 1);
    private final ListCursor b = ListCursor.subscription("a/+", 2);
    private final StoredMessage message = ListCursor.message("a/b", 1, 100);

    private Inflight.Entry add(ListCursor cursor, long offset) {
        return inflight.add(List.of(new Inflight.Position(cursor, offset)), message, 1, false, List.of());
    }

    @Test
    void packetIdsStartAtOneAndCountUp() {
        assertEquals(1, add(a, 0).packetId);
        assertEquals(2, add(a, 1).packetId);
        assertEquals(3, add(b, 0).packetId);
        assertEquals(List.of(1, 2, 3), inflight.inOrder().stream().map(entry -> entry.packetId).toList());
    }

    @Test
    void aFreedPacketIdIsNotReusedBeforeTheIdsWrapAround() {
        add(a, 0);
        inflight.remove(1);
        assertEquals(2, add(a, 1).packetId);
    }

    /**
     * A new PUBLISH gets a non-zero Packet Identifier that is currently unused [MQTT-2.2.1-4]:
     * after 65535 come the lowest free ids.
     */
    @Test
    void packetIdsWrapAroundAfter65535SkippingIdsInUse() {
        inflight.restore(1, a, 0, message, 1, false, 0, false);
        inflight.restore(3, a, 1, message, 1, false, 0, false);
        for (int expected = 2; expected <= 65535; expected++) {
            if (expected == 3) {
                continue;
            }
            Inflight.Entry entry = add(b, expected);
            assertEquals(expected, entry.packetId);
            inflight.remove(entry.packetId);
        }
        assertEquals(2, add(b, 0).packetId);
        assertEquals(4, add(b, 1).packetId);
        assertEquals(Set.of(1, 2, 3, 4), Set.copyOf(inflight.inOrder().stream().map(entry -> entry.packetId).toList()));
    }

    @Test
    void aSentDeliveryLetsGoOfItsMessageAndReadsItAgainForAResend() {
        StoredMessage queued = a.append(message);
        Inflight.Entry entry = add(a, queued.queueOffset());
        assertSame(message, entry.messageToResend(), "kept until sent");

        entry.sent();

        assertSame(queued, entry.messageToResend(), "read again from the queue");
    }

    @Test
    void aRetainedMessageSentOnSubscribeKeepsItsMessage() {
        Inflight.Entry entry = add(a, -1);

        entry.sent();

        assertSame(message, entry.messageToResend(), "it has no queue position to be read from");
    }

    @Test
    void restoringOnePacketIdFromSeveralCursorsMakesOneDeliveryHoldingEveryPosition() {
        inflight.restore(7, a, 4, message, 2, false, 11, false);
        inflight.restore(7, b, 9, message, 2, true, 12, false);

        assertEquals(1, inflight.size());
        Inflight.Entry entry = inflight.get(7);
        assertEquals(4L, entry.offsetIn(a));
        assertEquals(9L, entry.offsetIn(b));
        assertNull(entry.offsetIn(ListCursor.subscription("other", 1)));
        assertSame(message, entry.messageToResend());
        assertEquals(2, entry.qos);
        assertTrue(entry.retain, "RETAIN if any subscription retains as published");
        assertEquals(List.of(11, 12), entry.subscriptionIds);
        assertFalse(entry.released());
        // A delivery added afterwards does not take the restored id.
        assertEquals(1, add(a, 5).packetId);
    }

    @Test
    void unacknowledgedOffsetsLeaveOutReleasedDeliveries() {
        add(a, 0);
        inflight.restore(9, a, 1, null, 2, false, 0, true);
        add(a, 2);
        add(b, 0);

        assertEquals(Set.of(0L, 2L), inflight.unacknowledgedOffsets(a));
        assertEquals(Set.of(0L), inflight.unacknowledgedOffsets(b));
    }

    @Test
    void droppingACursorsUnacknowledgedDeliveriesKeepsItsReleasedOnesAndOtherCursors() {
        add(a, 0);
        inflight.restore(9, a, 1, null, 2, false, 0, true);
        Inflight.Entry other = add(b, 0);

        inflight.dropUnacknowledged(a);

        assertEquals(List.of(9, other.packetId), inflight.inOrder().stream().map(entry -> entry.packetId).toList());
        assertTrue(inflight.get(9).released());
        assertEquals(Set.of(), inflight.unacknowledgedOffsets(a));
    }
}

package net.lightqueue.dispatch.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.lightqueue.dispatch.StateChange;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void roundTripsSubscribe() {
        byte[] options = {1, 2, 0, -1};
        FilterEvent.Subscribe decoded = (FilterEvent.Subscribe) EventCodec.decode(
            EventCodec.encode(new FilterEvent.Subscribe(-7L, "client-ü", "a/+/😀/#", options))).orElseThrow();
        assertEquals(-7L, decoded.requestId());
        assertEquals("client-ü", decoded.subscriberId());
        assertEquals("a/+/😀/#", decoded.filter());
        assertArrayEquals(options, decoded.options());
    }

    @Test
    void roundTripsUnsubscribe() {
        FilterEvent event = new FilterEvent.Unsubscribe(Long.MAX_VALUE, "c", "x");
        assertEquals(Optional.of(event), EventCodec.decode(EventCodec.encode(event)));
    }

    @Test
    void roundTripsUnsubscribeAll() {
        Event event = new FilterEvent.UnsubscribeAll(3, "client-ü");
        assertEquals(Optional.of(event), EventCodec.decode(EventCodec.encode(event)));
    }

    @Test
    void roundTripsStateChangesInOrderWithDeletions() {
        List<StateChange> changes = List.of(
            StateChange.put("sessions", utf8("c1"), new byte[] {1, 0, -1}),
            StateChange.delete("wills", utf8("c1")),
            StateChange.put("progress", new byte[0], new byte[0]));
        StateEvent decoded = (StateEvent) EventCodec.decode(EventCodec.encode(new StateEvent(-5, changes))).orElseThrow();
        assertEquals(-5, decoded.requestId());
        assertEquals(changes.size(), decoded.changes().size());
        for (int i = 0; i < changes.size(); i++) {
            StateChange expected = changes.get(i);
            StateChange actual = decoded.changes().get(i);
            assertEquals(expected.family(), actual.family());
            assertArrayEquals(expected.key(), actual.key());
            assertArrayEquals(expected.value(), actual.value());
        }
        assertTrue(decoded.changes().get(1).isDelete());
        assertEquals(0, decoded.changes().get(2).value().length, "an empty value is not a deletion");
    }

    @Test
    void startsWithVersionAndType() {
        byte[] bytes = EventCodec.encode(new FilterEvent.Unsubscribe(1, "c", "x"));
        assertEquals(EventCodec.VERSION, bytes[0]);
        assertEquals(EventCodec.TYPE_UNSUBSCRIBE, bytes[1]);
        assertEquals(EventCodec.TYPE_SUBSCRIBE, EventCodec.encode(new FilterEvent.Subscribe(1, "c", "x", new byte[0]))[1]);
        assertEquals(EventCodec.TYPE_UNSUBSCRIBE_ALL, EventCodec.encode(new FilterEvent.UnsubscribeAll(1, "c"))[1]);
        assertEquals(EventCodec.TYPE_STATE, EventCodec.encode(new StateEvent(1, List.of()))[1]);
    }

    @Test
    void skipsUnknownVersionsAndTypes() {
        byte[] bytes = EventCodec.encode(new FilterEvent.Unsubscribe(1, "c", "x"));
        byte[] unknownType = bytes.clone();
        unknownType[1] = 42;
        byte[] unknownVersion = bytes.clone();
        unknownVersion[0] = 2;
        assertEquals(Optional.empty(), EventCodec.decode(unknownType));
        assertEquals(Optional.empty(), EventCodec.decode(unknownVersion));
    }

    @Test
    void rejectsTruncatedEvents() {
        List<Event> events = List.of(new FilterEvent.Subscribe(1, "client", "a/b", new byte[] {9, 9}),
            new FilterEvent.UnsubscribeAll(1, "client"),
            new StateEvent(1, List.of(StateChange.put("wills", utf8("k"), utf8("v")), StateChange.delete("shared",
                utf8("k")))));
        for (Event event : events) {
            byte[] bytes = EventCodec.encode(event);
            for (int length = 0; length < bytes.length; length++) {
                byte[] cut = Arrays.copyOf(bytes, length);
                MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.decode(cut),
                    event + " cut to " + length);
                assertTrue(e.getMessage().contains(length + " bytes"));
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

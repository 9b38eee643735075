package net.lightqueue.dispatch.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
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
    void startsWithVersionAndType() {
        byte[] bytes = EventCodec.encode(new FilterEvent.Unsubscribe(1, "c", "x"));
        assertEquals(EventCodec.VERSION, bytes[0]);
        assertEquals(EventCodec.TYPE_UNSUBSCRIBE, bytes[1]);
        assertEquals(EventCodec.TYPE_SUBSCRIBE, EventCodec.encode(new FilterEvent.Subscribe(1, "c", "x", new byte[0]))[1]);
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
        byte[] bytes = EventCodec.encode(new FilterEvent.Subscribe(1, "client", "a/b", new byte[] {9, 9}));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.decode(cut));
            assertTrue(e.getMessage().contains(length + " bytes"));
        }
    }
}

package net.lightqueue.mqtt.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.lightqueue.mqtt.delivery.Cursor;
import org.junit.jupiter.api.Test;

class FilterCursorsTest {

    private final FilterCursors cursors = new FilterCursors();

    private static Cursor cursor() {
        Cursor cursor = mock(Cursor.class);
        when(cursor.close(anyBoolean())).thenAnswer(call -> CompletableFuture.completedFuture(null));
        return cursor;
    }

    @Test
    void withoutPeersEveryCursorIsALocalOneInTheOrderTheyCame() {
        Cursor a = cursor();
        Cursor b = cursor();
        cursors.add("a/#", a, List.of());
        cursors.add("b/+", b, List.of());

        assertEquals(List.of(a, b), List.copyOf(cursors.all()));
        assertTrue(cursors.remove("a/#"));
        assertEquals(List.of(b), List.copyOf(cursors.all()));
        verify(a).close(true);
    }

    @Test
    void cursorsOnPeersJoinTheLocalOnesInTheOrderTheyCameAndLeaveWithTheirKey() {
        Cursor a = cursor();
        Cursor b = cursor();
        Cursor bOnPeer = cursor();
        Cursor aOnPeer = cursor();
        Cursor c = cursor();
        cursors.add("a/#", a, List.of());
        cursors.add("b/+", b, List.of(bOnPeer));
        cursors.addPeer("a/#", aOnPeer);
        cursors.add("c", c, List.of());

        assertEquals(List.of(a, b, bOnPeer, aOnPeer, c), List.copyOf(cursors.all()));
        assertEquals(List.of(aOnPeer), cursors.peers("a/#"));

        assertTrue(cursors.remove("b/+"));
        assertEquals(List.of(a, aOnPeer, c), List.copyOf(cursors.all()));
        verify(bOnPeer).close(true);
        assertFalse(cursors.remove("b/+"));
    }

    @Test
    void releaseStopsEveryCursorKeepingItsSubscriptionAndForgetsThem() {
        Cursor a = cursor();
        Cursor aOnPeer = cursor();
        cursors.add("a/#", a, List.of(aOnPeer));
        List<CompletableFuture<?>> recorded = new ArrayList<>();

        cursors.release(recorded);

        assertEquals(2, recorded.size());
        verify(a).close(false);
        verify(aOnPeer).close(false);
        assertTrue(cursors.all().isEmpty());
        assertFalse(cursors.has("a/#"));
    }
}

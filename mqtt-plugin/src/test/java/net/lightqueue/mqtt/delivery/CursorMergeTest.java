package net.lightqueue.mqtt.delivery;

import static net.lightqueue.mqtt.delivery.ListCursor.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.lightqueue.dispatch.StoredMessage;
import org.junit.jupiter.api.Test;

class CursorMergeTest {

    private final ListCursor a = ListCursor.subscription("a", 1);
    private final ListCursor b = ListCursor.subscription("b", 1);

    /** Takes every message the merge gives, each as "commitlog offset: cursors holding it". */
    private static List<String> drain(CursorMerge merge) {
        List<String> taken = new ArrayList<>();
        for (List<CursorMerge.Buffer> group = merge.next(); !group.isEmpty(); group = merge.next()) {
            StringBuilder line = new StringBuilder().append(group.get(0).head().commitLogOffset()).append(":");
            for (CursorMerge.Buffer buffer : List.copyOf(group)) {
                line.append(' ').append(buffer.cursor.name()).append('@').append(buffer.head().queueOffset());
                merge.take(buffer, false);
            }
            taken.add(line.toString());
        }
        return taken;
    }

    @Test
    void overlappingCursorsGiveEachMessageOnceInCommitLogOrder() {
        StoredMessage shared20 = message("t/20", 1, 20);
        StoredMessage shared40 = message("t/40", 1, 40);
        a.arrive(message("t/10", 1, 10)).arrive(shared20).arrive(shared40);
        b.arrive(shared20).arrive(message("t/30", 1, 30)).arrive(shared40).arrive(message("t/50", 1, 50));
        CursorMerge merge = new CursorMerge(2);
        merge.cursors(List.of(a, b));

        assertEquals(List.of("10: a@0", "20: a@1 b@0", "30: b@1", "40: a@2 b@2", "50: b@3"), drain(merge));
        merge.report();

        assertEquals(3, a.nextOffset());
        assertEquals(4, b.nextOffset());
        assertEquals(List.of(0), a.settled, "moved once, nothing completed");
        assertEquals(List.of(0), b.settled);
    }

    @Test
    void takingAMessageMovesTheCursorPastIt() {
        a.arrive(message("t/10", 1, 10)).arrive(message("t/20", 1, 20)).arrive(message("t/30", 1, 30));
        CursorMerge merge = new CursorMerge(2);
        merge.cursors(List.of(a));

        List<Long> positions = new ArrayList<>();
        for (List<CursorMerge.Buffer> group = merge.next(); !group.isEmpty(); group = merge.next()) {
            merge.take(group.get(0), true);
            positions.add(a.nextOffset());
        }
        merge.report();

        assertEquals(List.of(1L, 2L, 3L), positions);
        assertEquals(List.of(3), a.settled, "three deliveries ended");
    }

    /**
     * The index writes a message's entries in all its queues at once, but a cursor learns of
     * them only by a signal: a cursor that looked empty is checked again before another
     * cursor's later-read message is taken, so a message both match still comes out once.
     */
    @Test
    void aCursorThatLookedEmptyIsCheckedAgainBeforeALaterMessageIsTaken() {
        CursorMerge merge = new CursorMerge(4);
        merge.cursors(List.of(a, b));
        assertEquals(List.of(), drain(merge));

        StoredMessage both = message("t/20", 1, 20);
        a.append(both); // not yet signalled to a
        b.arrive(both).arrive(message("t/30", 1, 30));

        assertEquals(List.of("20: a@0 b@0", "30: b@1"), drain(merge));
        assertEquals(1, a.refreshes, "one look at a's end for b's batch, not one per message");
    }

    @Test
    void anEmptyCursorIsCheckedAgainOncePerReadBatchOfAnother() {
        CursorMerge merge = new CursorMerge(2);
        merge.cursors(List.of(a, b));
        for (long offset = 10; offset <= 40; offset += 10) {
            b.arrive(message("t/" + offset, 1, offset));
        }

        assertEquals(List.of("10: b@0", "20: b@1", "30: b@2", "40: b@3"), drain(merge));
        assertEquals(2, a.refreshes, "two batches of b");
    }

    @Test
    void aSingleCursorIsNeverCheckedAgain() {
        CursorMerge merge = new CursorMerge(2);
        merge.cursors(List.of(a));
        a.arrive(message("t/10", 1, 10));

        assertEquals(List.of("10: a@0"), drain(merge));
        assertEquals(0, a.refreshes);
    }

    @Test
    void aRemovedCursorIsNoLongerRead() {
        a.arrive(message("t/10", 1, 10));
        b.arrive(message("t/20", 1, 20));
        CursorMerge merge = new CursorMerge(2);
        merge.cursors(List.of(a, b));
        merge.next();

        merge.cursors(List.of(b));

        assertEquals(List.of("20: b@0"), drain(merge));
        assertEquals(0, a.nextOffset());
    }

    @Test
    void aCursorKeptWhenTheSetChangesKeepsTheBatchItRead() {
        a.arrive(message("t/10", 1, 10));
        b.arrive(message("t/20", 1, 20));
        b.arrive(message("t/21", 1, 21));
        ListCursor c = ListCursor.subscription("c", 1);
        c.arrive(message("t/30", 1, 30));
        CursorMerge merge = new CursorMerge(2);
        merge.cursors(List.of(a, b));
        merge.next();
        int readsOfB = b.reads;

        merge.cursors(List.of(c, b));

        assertEquals(List.of("20: b@0", "21: b@1", "30: c@0"), drain(merge));
        assertEquals(readsOfB, b.reads, "its batch taken as it was read, not read again");
    }
}

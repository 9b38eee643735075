package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private static SequenceTracker received(long... sequences) {
        SequenceTracker tracker = new SequenceTracker();
        for (long s : sequences) {
            tracker.onMessage(s);
        }
        return tracker;
    }

    @Test
    void inOrderDeliveryHasNothingToReport() {
        SequenceTracker t = received(0, 1, 2, 3);
        assertEquals(0, t.lost(4));
        assertEquals(0, t.duplicates());
        assertEquals(0, t.outOfOrder());
    }

    @Test
    void gapsAreLostOnlyOnceTheyNeverArrive() {
        SequenceTracker t = received(0, 2, 4);
        assertEquals(2, t.lost(5));
        assertEquals(0, t.outOfOrder());
    }

    @Test
    void aLateArrivalIsOutOfOrderNotLost() {
        SequenceTracker t = received(0, 2, 1, 3);
        assertEquals(0, t.lost(4));
        assertEquals(1, t.outOfOrder());
    }

    @Test
    void aRepeatIsADuplicateWhereverItArrives() {
        SequenceTracker t = received(0, 1, 1, 2, 0);
        assertEquals(2, t.duplicates());
        assertEquals(0, t.outOfOrder());
        assertEquals(3, t.unique());
    }
}

package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyTimelineTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachSecondOfSendingShowsItsWorstLatencyUpToTheLastSecondWithAMessage() {
        LatencyTimeline timeline = new LatencyTimeline(0);
        timeline.record(SECOND / 2, 3_000);
        timeline.record(SECOND / 3, 7_000);
        timeline.record(2 * SECOND, 250);
        timeline.record(2 * SECOND + 1, 0); // under a microsecond still counts as sent that second

        assertEquals("7 0 0", timeline.worstMillisBySecond());
    }

    @Test
    void messagesBeforeTheOriginOrPastTheLastSecondKeptAreLeftOut() {
        LatencyTimeline timeline = new LatencyTimeline(10 * SECOND);
        timeline.record(SECOND, 5_000);
        timeline.record(10 * SECOND + 3_600 * SECOND, 5_000);

        assertEquals("", timeline.worstMillisBySecond());
    }
}

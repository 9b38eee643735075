package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void pacedPublishersStartSpreadOverOneIntervalBetweenTheirMessages() {
        // 1,000 publishers at 1,000/s in all: one message a second each, starts 1 ms apart.
        assertEquals(0, Pacer.phaseNanos(0, 1_000));
        assertEquals(1_000_000, Pacer.phaseNanos(1, 1_000));
        assertEquals(999_000_000, Pacer.phaseNanos(999, 1_000));
        // 10 publishers at 50/s in all: 200 ms between a publisher's messages, starts 20 ms apart.
        assertEquals(180_000_000, Pacer.phaseNanos(9, 50));
    }

    @Test
    void unpacedPublishersStartTogether() {
        assertEquals(0, Pacer.phaseNanos(7, 0));
    }
}

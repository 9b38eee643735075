package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void pacedPublishersStartSpreadOverOneIntervalBetweenTheirMessages() {
        // 1,000 publishers at 1,000/s in all: one message a second each, starts 1 ms apart.
        assertEquals(0, Pacer.phaseNanos(0, 1_000, 1_000));
        assertEquals(1_000_000, Pacer.phaseNanos(1, 1_000, 1_000));
        assertEquals(999_000_000, Pacer.phaseNanos(999, 1_000, 1_000));
        // 10 publishers at 1,000/s: 10 ms between messages, starts 1 ms apart.
        assertEquals(9_000_000, Pacer.phaseNanos(9, 10, 1_000));
    }

    @Test
    void unpacedPublishersStartTogether() {
        assertEquals(0, Pacer.phaseNanos(7, 10, 0));
    }
}

package net.lightqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(50, h.quantile(0.5));
        assertEquals(99, h.quantile(0.99));
        assertEquals(100, h.quantile(1.0));
        assertEquals(100, h.max());
    }

    @Test
    void largeValuesStayWithinOnePercentAndNeverBelow() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 1_000_000; v++) {
            h.record(v * 1_000);
        }
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long exact = (long) (q * 1_000_000) * 1_000;
            long reported = h.quantile(q);
            assertTrue(reported >= exact && reported <= exact * 1.01, q + ": " + reported + " vs " + exact);
        }
    }

    @Test
    void bucketsCoverEveryValueWithoutGaps() {
        for (long v : new long[] {0, 255, 256, 257, 1L << 20, (1L << 20) + 12_345, Long.MAX_VALUE}) {
            int index = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.upperBound(index) >= v, "upper bound of " + v);
            assertTrue(index == 0 || LatencyHistogram.upperBound(index - 1) < v, "previous bucket of " + v);
        }
    }

    @Test
    void mergingAddsCountsAndKeepsTheMax() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(10);
        b.record(20);
        b.record(30);
        a.add(b);
        assertEquals(3, a.total());
        assertEquals(30, a.max());
        assertEquals(20, a.quantile(0.5));
    }
}
